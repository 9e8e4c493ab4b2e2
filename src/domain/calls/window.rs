//! The cursor and the scroll window over rows: which row is selected and which is drawn
//! first, kept so the selection stays on screen. One home for that arithmetic: a view's
//! calls ([`super::CallList`]) and its caller groups ([`super::Groups`]) both move with it.

/// The selected row and the first row drawn, over `len` rows of which `height` fit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Window {
    pub selected: usize,
    pub offset: usize,
}

impl Window {
    /// Moves the cursor by `delta` rows, clamped, and scrolls so it stays in view.
    pub fn move_by(&mut self, delta: isize, len: usize, height: usize) {
        let last = len.saturating_sub(1);
        let target = self.selected.saturating_add_signed(delta).min(last);
        self.select(target, len, height);
    }

    pub fn select(&mut self, index: usize, len: usize, height: usize) {
        self.selected = index.min(len.saturating_sub(1));
        self.scroll_into_view(len, height);
    }

    /// Keeps the selection inside the window (after moves and after a resize).
    pub fn scroll_into_view(&mut self, len: usize, height: usize) {
        scroll_into_view(&mut self.selected, &mut self.offset, len, height);
    }

    /// Scrolls the window by `delta` rows (the mouse wheel), keeping the cursor inside it.
    pub fn scroll_by(&mut self, delta: isize, len: usize, height: usize) {
        scroll_by(&mut self.selected, &mut self.offset, delta, len, height);
    }

    /// The rows that fit in `height`, as a range of row indexes.
    pub fn visible(&self, len: usize, height: usize) -> std::ops::Range<usize> {
        let end = (self.offset + height).min(len);
        self.offset.min(end)..end
    }

    /// True when the cursor is within one screen of the end.
    pub fn near_end(&self, len: usize, height: usize) -> bool {
        self.selected + height.max(1) >= len
    }
}

/// Keeps `selected` inside a window of `height` rows starting at `offset`, never leaving blank
/// rows at the bottom when there are rows above to show.
pub fn scroll_into_view(selected: &mut usize, offset: &mut usize, len: usize, height: usize) {
    let height = height.max(1);
    if *selected < *offset {
        *offset = *selected;
    } else if *selected >= *offset + height {
        *offset = *selected + 1 - height;
    }
    let max_offset = len.saturating_sub(height);
    *offset = (*offset).min(max_offset);
}

/// Moves the window by `delta` rows, dragging the cursor along so it stays inside.
pub fn scroll_by(
    selected: &mut usize,
    offset: &mut usize,
    delta: isize,
    len: usize,
    height: usize,
) {
    let height = height.max(1);
    let max_offset = len.saturating_sub(height);
    *offset = offset.saturating_add_signed(delta).min(max_offset);
    if *selected < *offset {
        *selected = *offset;
    } else if *selected >= *offset + height {
        *selected = *offset + height - 1;
    }
}
