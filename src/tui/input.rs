//! The thread that turns the terminal's events into messages: key presses
//! and resizes (the signals have theirs, per system, in `signals`).
//!
//! It blocks on its source on its own thread, so the UI thread never
//! polls.

use super::Msg;
use crate::app::keys::Key;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::sync::mpsc::Sender;

/// Reads the terminal's events on its own thread: `read` blocks, so the UI
/// thread never polls.
pub(super) fn spawn_input(tx: Sender<Msg>) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("parlab-input".to_string())
        .spawn(move || {
            loop {
                let msg = match crossterm::event::read() {
                    Ok(Event::Key(event)) => match key_of(&event) {
                        // In raw mode Ctrl-Z arrives as a key: it suspends
                        // as it would in a shell.
                        Some(Key::Ctrl('z')) => Msg::Suspend,
                        Some(key) => Msg::Lab(crate::app::Msg::Key(key)),
                        None => continue,
                    },
                    Ok(Event::Resize(width, height)) => Msg::Resized(width, height),
                    Ok(Event::Mouse(event)) => match mouse_of(&event) {
                        Some(at) => Msg::Mouse(at),
                        None => continue,
                    },
                    Ok(_) => continue,
                    Err(e) => Msg::InputFailed(e.to_string()),
                };
                let failed = matches!(msg, Msg::InputFailed(_));
                if tx.send(msg).is_err() || failed {
                    return;
                }
            }
        })?;
    Ok(())
}

/// A mouse event the lab acts on: a left click where it happened, or a
/// turn of the wheel.
pub(super) enum MouseAt {
    /// A left button press at a column and row.
    Click {
        /// The column, from 0.
        column: u16,
        /// The row, from 0.
        row: u16,
    },
    /// The wheel turned up.
    WheelUp,
    /// The wheel turned down.
    WheelDown,
}

/// The mouse events the lab acts on; `None` for moves, drags, releases
/// and the other buttons.
fn mouse_of(event: &crossterm::event::MouseEvent) -> Option<MouseAt> {
    use crossterm::event::{MouseButton, MouseEventKind};
    match event.kind {
        MouseEventKind::Down(MouseButton::Left) => Some(MouseAt::Click {
            column: event.column,
            row: event.row,
        }),
        MouseEventKind::ScrollUp => Some(MouseAt::WheelUp),
        MouseEventKind::ScrollDown => Some(MouseAt::WheelDown),
        _ => None,
    }
}

/// The app's view of a terminal key event (the app knows no terminal); `None` for releases and keys
/// the app never uses.
fn key_of(event: &KeyEvent) -> Option<Key> {
    if event.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
    Some(match event.code {
        KeyCode::Char(c) if ctrl => Key::Ctrl(control_char(c)),
        KeyCode::Char(c) => Key::Char(c),
        KeyCode::Enter => Key::Enter,
        KeyCode::Esc => Key::Esc,
        KeyCode::Up => Key::Up,
        KeyCode::Down => Key::Down,
        KeyCode::Left => Key::Left,
        KeyCode::Right => Key::Right,
        KeyCode::Tab => Key::Tab,
        KeyCode::BackTab => Key::BackTab,
        KeyCode::Backspace => Key::Backspace,
        KeyCode::PageUp => Key::PageUp,
        KeyCode::PageDown => Key::PageDown,
        _ => return None,
    })
}

/// The character a Ctrl chord was typed with. Terminals send Ctrl-\\,
/// Ctrl-], Ctrl-^ and Ctrl-_ as the bytes 0x1C to 0x1F, which crossterm
/// reads back as Ctrl-4 to Ctrl-7; the keys on the keyboard are these.
fn control_char(c: char) -> char {
    match c {
        '4' => '\\',
        '5' => ']',
        '6' => '^',
        '7' => '_',
        other => other.to_ascii_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_events_become_keys() {
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(key_of(&ctrl_c), Some(Key::Ctrl('c')));
        let ctrl_backslash = KeyEvent::new(KeyCode::Char('4'), KeyModifiers::CONTROL);
        assert_eq!(key_of(&ctrl_backslash), Some(Key::Ctrl('\\')));
        let plus = KeyEvent::new(KeyCode::Char('+'), KeyModifiers::SHIFT);
        assert_eq!(key_of(&plus), Some(Key::Char('+')));
        let mut release = KeyEvent::new(KeyCode::Char('r'), KeyModifiers::NONE);
        release.kind = KeyEventKind::Release;
        assert_eq!(key_of(&release), None);
    }
}
