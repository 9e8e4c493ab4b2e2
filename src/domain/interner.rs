//! Strings many calls share (a caller's number), each kept once under a small id, so an index
//! over 100 000 calls holds a `u32` per call rather than a copy of the text.

use std::collections::HashMap;

#[derive(Debug, Clone, Default)]
pub struct Interner {
    ids: HashMap<Box<str>, u32>,
}

impl Interner {
    /// The id of `text`, given it a new one when it is new.
    pub fn id(&mut self, text: &str) -> u32 {
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        let id = u32::try_from(self.ids.len()).unwrap_or(u32::MAX);
        self.ids.insert(text.into(), id);
        id
    }

    /// The id of `text`, when it has one.
    pub fn get(&self, text: &str) -> Option<u32> {
        self.ids.get(text).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_text_gets_the_same_id_and_another_text_another() {
        let mut i = Interner::default();
        let a = i.id("+14155550148");
        assert_eq!(i.id("+14155550148"), a);
        let b = i.id("+14155550149");
        assert_ne!(a, b);
        assert_eq!(i.get("+14155550149"), Some(b));
        assert_eq!(i.get("+1"), None);
    }
}
