//! The keys of the modes that take over the keyboard: typing a value, the
//! help overlay and the presets popup. Each gets every key first, so a
//! digit typed into a value never starts anything else.

use super::settings::{self, Entry};
use super::{App, Effect, Key, View};

impl App {
    /// Starts typing a value into the selected setting with the digit typed.
    pub(super) fn start_entry(&mut self, key: Key) {
        if !self.selected.takes_digits() {
            self.message =
                Some("the workload is chosen with ←/→ or w; digits type a number".to_string());
            return;
        }
        let mut entry = Entry {
            setting: self.selected,
            text: String::new(),
        };
        if let Key::Char(c) = key {
            entry.push(c);
        }
        self.entry = Some(entry);
    }

    /// A key while a value is typed: digits build it, Enter keeps it if
    /// valid (else the reason shows and the text stays), Esc drops it.
    pub(super) fn on_entry_key(&mut self, mut entry: Entry, key: Key) -> Effect {
        match key {
            Key::Esc => return Effect::None,
            Key::Enter => match settings::parse_typed(&self.spec, entry.setting, &entry.text)
                .and_then(|next| next.validate().map(|()| next).map_err(|e| e.to_string()))
            {
                Ok(next) => {
                    self.spec = next;
                    return Effect::None;
                }
                Err(why) => self.message = Some(format!("refused: {why}")),
            },
            Key::Backspace => {
                entry.text.pop();
            }
            Key::Char(c) if entry.push(c) => {}
            _ => {
                self.message = Some(format!(
                    "typing {}: digits{}, Enter keeps it, Esc drops it",
                    entry.setting.label(),
                    if entry.setting.takes_fractions() {
                        " and a dot"
                    } else {
                        ""
                    }
                ));
            }
        }
        self.entry = Some(entry);
        Effect::None
    }

    /// Any key closes the help (`q` quits before it gets here).
    pub(super) fn on_help_key(&mut self) -> Effect {
        self.view = View::Main;
        Effect::None
    }

    /// Arrows move through the presets, Enter or a number loads one.
    pub(super) fn on_presets_key(&mut self, selected: usize, key: Key) -> Effect {
        let count = self.presets.len().max(1);
        let pick = match key {
            Key::Up => {
                self.view = View::Presets {
                    selected: (selected + count - 1) % count,
                };
                None
            }
            Key::Down | Key::Tab => {
                self.view = View::Presets {
                    selected: (selected + 1) % count,
                };
                None
            }
            Key::Enter => Some(selected),
            Key::Char(c @ '1'..='9') => Some(c as usize - '1' as usize),
            Key::Esc | Key::Char('p') => {
                self.view = View::Main;
                None
            }
            _ => {
                self.message = Some("↑↓ choose, Enter loads, Esc closes".to_string());
                None
            }
        };
        if let Some(preset) = pick.and_then(|i| self.presets.get(i)) {
            self.spec = preset.spec;
            self.selected = self.selected.keep_shown(&preset.spec);
            self.message = Some(format!("{} loaded: r runs it", preset.name));
            self.view = View::Main;
        }
        Effect::None
    }
}
