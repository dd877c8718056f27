//! The mouse, as the lab understands it: the terminal layer places each
//! click on what the last frame drew there (a setting, a lesson, a key of
//! the key bar), so the app never sees a coordinate, and a click does what
//! the keyboard would, refused in the same places.

use super::keys::Key;
use super::settings::Setting;

/// A mouse action, already placed on the screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mouse {
    /// A left click on something the frame drew.
    Click(Target),
    /// The wheel turned up: back a page of the lesson text.
    WheelUp,
    /// The wheel turned down: on a page of the lesson text.
    WheelDown,
}

/// What a click can land on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// A row of the settings panel: selects it, as ↑ ↓ would.
    Setting(Setting),
    /// A lesson of the list: starts it, as Enter on it would.
    Lesson(usize),
    /// A key shown in the key bar: pressed.
    Key(Key),
}
