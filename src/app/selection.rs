//! Moving through a list: the presets, the lessons. One helper, so every
//! list wraps around and answers the same keys (↑ ↓, Tab and Shift-Tab,
//! Enter, Esc); `q` never reaches a list, the lab asks before quitting.

use super::keys::Key;

/// The highlighted row of a list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// Index of the highlighted row.
    pub index: usize,
}

/// What a key did to a list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListKey {
    /// The highlight moved.
    Moved,
    /// Enter on the highlighted row.
    Chosen(usize),
    /// Esc: close the list.
    Closed,
    /// A key lists do not use; the caller may give it a meaning.
    Other,
}

/// What a key did to a popup list, as the sub-state that owns the list
/// answered it; the lab then keeps the popup open or closes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Popup {
    /// It stays open, with a note to show, if any.
    Open(Option<String>),
    /// It closes, with a note to show, if any.
    Closed(Option<String>),
    /// Row `index` was chosen for something only the whole lab can do
    /// (starting a lesson loads its settings into the lab).
    Chosen(usize),
}

impl Selection {
    /// The highlight on row `index`.
    pub fn at(index: usize) -> Self {
        Self { index }
    }

    /// Handles `key` for a list of `len` rows: ↑ and Shift-Tab go up, ↓
    /// and Tab go down, both wrapping.
    pub fn on_key(&mut self, key: Key, len: usize) -> ListKey {
        let count = len.max(1);
        match key {
            Key::Up | Key::BackTab => {
                self.index = (self.index % count + count - 1) % count;
                ListKey::Moved
            }
            Key::Down | Key::Tab => {
                self.index = (self.index + 1) % count;
                ListKey::Moved
            }
            Key::Enter => ListKey::Chosen(self.index),
            Key::Esc => ListKey::Closed,
            _ => ListKey::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_list_wraps_both_ways_with_arrows_and_tabs() {
        let mut list = Selection::at(0);
        assert_eq!(list.on_key(Key::BackTab, 3), ListKey::Moved);
        assert_eq!(list.index, 2);
        assert_eq!(list.on_key(Key::Tab, 3), ListKey::Moved);
        assert_eq!(list.index, 0);
        list.on_key(Key::Up, 3);
        list.on_key(Key::Up, 3);
        assert_eq!(list.index, 1);
        list.on_key(Key::Down, 3);
        assert_eq!(list.on_key(Key::Enter, 3), ListKey::Chosen(2));
        assert_eq!(list.on_key(Key::Esc, 3), ListKey::Closed);
        assert_eq!(list.on_key(Key::Char('x'), 3), ListKey::Other);
    }

    #[test]
    fn an_empty_list_stays_on_its_only_row() {
        let mut list = Selection::default();
        list.on_key(Key::Down, 0);
        list.on_key(Key::Up, 0);
        assert_eq!(list.index, 0);
    }
}
