//! Unit tests of the key tables, the lookup and the key bar.

use super::*;

#[test]
fn run_and_cancel_depend_on_the_state() {
    assert_eq!(lookup(Key::Char('r'), false), Lookup::Do(Command::Run));
    assert!(matches!(lookup(Key::Char('r'), true), Lookup::Refused(_)));
    assert_eq!(lookup(Key::Esc, true), Lookup::Do(Command::Cancel));
    assert_eq!(lookup(Key::Esc, false), Lookup::Do(Command::Back));
    assert_eq!(lookup(Key::Ctrl('c'), true), Lookup::Do(Command::Quit));
    assert_eq!(lookup(Key::Char('c'), false), Lookup::Do(Command::Clear));
    assert_eq!(lookup(Key::Char('x'), false), Lookup::Unknown);
}

#[test]
fn up_selects_the_other_way() {
    assert_eq!(lookup(Key::Up, false), Lookup::Do(Command::SelectPrev));
    assert_eq!(lookup(Key::Tab, true), Lookup::Do(Command::SelectNext));
}

#[test]
fn the_bar_follows_the_state() {
    let idle = bar(false);
    assert_eq!(idle[0], ("r", "run"));
    assert!(idle.contains(&("q", "quit")));
    assert!(
        !idle.iter().any(|(key, _)| *key == "Esc"),
        "Esc never quits"
    );
    let running = bar(true);
    assert!(running.contains(&("Esc", "cancel")));
    assert!(!running.iter().any(|(_, name)| *name == "run"));
}

#[test]
fn every_command_is_documented_and_reachable() {
    let help = help();
    let labelled = KEYS.iter().filter(|b| !b.keys_label.is_empty()).count();
    for (at, binding) in KEYS.iter().enumerate() {
        // A row without a label of its own is described by the line of
        // the row before it, whose label names its keys.
        if binding.keys_label.is_empty() {
            let before = &KEYS[at - 1];
            assert!(
                before.keys_label.contains(binding.short) || before.keys_label.contains('←'),
                "{} / {}",
                before.keys_label,
                binding.name
            );
        } else {
            assert!(!binding.about.is_empty());
        }
        for key in binding.keys {
            assert!(
                matches!(lookup(*key, false), Lookup::Do(_))
                    || matches!(lookup(*key, true), Lookup::Do(_)),
                "{key:?}"
            );
        }
    }
    assert_eq!(help.len(), labelled);
    assert_eq!(
        labelled + 2,
        KEYS.len(),
        "Left and the lesson steps share a line"
    );
}
