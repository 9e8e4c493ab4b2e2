//! The actions keys can be bound to: their config names, help texts and default keys.

use std::fmt;

/// Everything a key can do on the call list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    Quit,
    Help,
    Down,
    Up,
    PageDown,
    PageUp,
    Top,
    Bottom,
    ToggleDetail,
    DetailDown,
    DetailUp,
    Refresh,
    Edit,
    Handled,
    Undo,
    Filter,
    Search,
    SearchNext,
    SearchPrev,
    Sort,
    SortReverse,
    ToggleSelect,
    SelectAll,
    NextTab,
    PrevTab,
    Tab1,
    Tab2,
    Tab3,
    Tab4,
    Tab5,
    Tab6,
    OpenUrl,
    OpenRecording,
    CopyNumber,
    RequestLog,
    Stats,
}

impl Action {
    /// Every action, in the order help lists them.
    pub const ALL: [Action; 36] = [
        Action::Quit,
        Action::Help,
        Action::Down,
        Action::Up,
        Action::PageDown,
        Action::PageUp,
        Action::Top,
        Action::Bottom,
        Action::ToggleDetail,
        Action::DetailDown,
        Action::DetailUp,
        Action::Refresh,
        Action::Edit,
        Action::Handled,
        Action::Undo,
        Action::Filter,
        Action::Search,
        Action::SearchNext,
        Action::SearchPrev,
        Action::Sort,
        Action::SortReverse,
        Action::ToggleSelect,
        Action::SelectAll,
        Action::NextTab,
        Action::PrevTab,
        Action::Tab1,
        Action::Tab2,
        Action::Tab3,
        Action::Tab4,
        Action::Tab5,
        Action::Tab6,
        Action::OpenUrl,
        Action::OpenRecording,
        Action::CopyNumber,
        Action::RequestLog,
        Action::Stats,
    ];

    /// The name used in the config file's `[keys]` table.
    pub fn name(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Help => "help",
            Action::Down => "down",
            Action::Up => "up",
            Action::PageDown => "page_down",
            Action::PageUp => "page_up",
            Action::Top => "top",
            Action::Bottom => "bottom",
            Action::ToggleDetail => "toggle_detail",
            Action::DetailDown => "detail_down",
            Action::DetailUp => "detail_up",
            Action::Refresh => "refresh",
            Action::Edit => "edit",
            Action::Handled => "handled",
            Action::Undo => "undo",
            Action::Filter => "filter",
            Action::Search => "search",
            Action::SearchNext => "search_next",
            Action::SearchPrev => "search_prev",
            Action::Sort => "sort",
            Action::SortReverse => "sort_reverse",
            Action::ToggleSelect => "toggle_select",
            Action::SelectAll => "select_all",
            Action::NextTab => "next_tab",
            Action::PrevTab => "prev_tab",
            Action::Tab1 => "tab1",
            Action::Tab2 => "tab2",
            Action::Tab3 => "tab3",
            Action::Tab4 => "tab4",
            Action::Tab5 => "tab5",
            Action::Tab6 => "tab6",
            Action::OpenUrl => "open_url",
            Action::OpenRecording => "open_recording",
            Action::CopyNumber => "copy_number",
            Action::RequestLog => "request_log",
            Action::Stats => "stats",
        }
    }

    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Short help text, as the `?` overlay shows it.
    pub fn description(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Help => "show the keys",
            Action::Down => "next call",
            Action::Up => "previous call",
            Action::PageDown => "a screen down",
            Action::PageUp => "a screen up",
            Action::Top => "first call",
            Action::Bottom => "last loaded call (loads more)",
            Action::ToggleDetail => "open / close the detail pane",
            Action::DetailDown => "scroll the detail pane down",
            Action::DetailUp => "scroll the detail pane up",
            Action::Refresh => "reload from the newest call",
            Action::Edit => "edit the selected call in the form",
            Action::Handled => "mark selected calls handled",
            Action::Undo => "undo the last change made here",
            Action::Filter => "filter the calls",
            Action::Search => "search the calls",
            Action::SearchNext => "next search match",
            Action::SearchPrev => "previous search match",
            Action::Sort => "change the sort order",
            Action::SortReverse => "reverse the sort order",
            Action::ToggleSelect => "select / unselect the call",
            Action::SelectAll => "select every call shown",
            Action::NextTab => "next view",
            Action::PrevTab => "previous view",
            Action::Tab1 => "view 1",
            Action::Tab2 => "view 2",
            Action::Tab3 => "view 3",
            Action::Tab4 => "view 4",
            Action::Tab5 => "view 5",
            Action::Tab6 => "view 6",
            Action::OpenUrl => "open the call's external app URL",
            Action::OpenRecording => {
                "open the call's recording and mark it played (● not played yet, ○ played; \
                 “ starts a voicemail's transcript)"
            }
            Action::CopyNumber => "copy the caller's number",
            Action::RequestLog => "show the request log",
            Action::Stats => "show call statistics",
        }
    }

    /// The keys bound when the config says nothing, in config notation.
    pub fn default_keys(self) -> &'static [&'static str] {
        match self {
            Action::Quit => &["q"],
            Action::Help => &["?"],
            Action::Down => &["j", "Down"],
            Action::Up => &["k", "Up"],
            Action::PageDown => &["PageDown", "Ctrl-f"],
            Action::PageUp => &["PageUp", "Ctrl-b"],
            Action::Top => &["g", "Home"],
            Action::Bottom => &["G", "End"],
            Action::ToggleDetail => &["Enter"],
            Action::DetailDown => &["J"],
            Action::DetailUp => &["K"],
            Action::Refresh => &["r"],
            Action::Edit => &["e"],
            Action::Handled => &["h"],
            Action::Undo => &["u"],
            Action::Filter => &["f"],
            Action::Search => &["/"],
            Action::SearchNext => &["n"],
            Action::SearchPrev => &["N"],
            Action::Sort => &["s"],
            Action::SortReverse => &["S"],
            Action::ToggleSelect => &["Space"],
            Action::SelectAll => &["V"],
            Action::NextTab => &["]"],
            Action::PrevTab => &["["],
            Action::Tab1 => &["1"],
            Action::Tab2 => &["2"],
            Action::Tab3 => &["3"],
            Action::Tab4 => &["4"],
            Action::Tab5 => &["5"],
            Action::Tab6 => &["6"],
            Action::OpenUrl => &["o"],
            Action::OpenRecording => &["O"],
            Action::CopyNumber => &["y"],
            Action::RequestLog => &["L"],
            Action::Stats => &["t"],
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
