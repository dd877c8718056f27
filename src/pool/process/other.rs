//! A worker process elsewhere (Windows): it notices when its parent is
//! gone. A process keeps its parent's id there, so the parent is looked
//! up, and a process that took over its id (started at another time)
//! does not count.

use std::time::Duration;
use sysinfo::{ProcessesToUpdate, System};

/// How often a worker checks that its parent is still alive.
const ORPHAN_POLL: Duration = Duration::from_millis(100);

/// Ends this process once its parent has gone, even in the middle of a
/// long task that would otherwise keep it alive. Without a parent to
/// watch, the worker still ends at the end of its input, which comes when
/// the parent closes the pipe or dies.
pub(super) fn watch_parent() {
    let Some(mut parent_alive) = parent_watch() else {
        return;
    };
    let _ = std::thread::Builder::new()
        .name("parent-watch".into())
        .spawn(move || {
            loop {
                std::thread::sleep(ORPHAN_POLL);
                if !parent_alive() {
                    std::process::exit(0);
                }
            }
        });
}

/// Whether the parent this process started under still lives.
fn parent_watch() -> Option<impl FnMut() -> bool> {
    let mut system = System::new().ok()?;
    let me = sysinfo::get_current_pid().ok()?;
    system.refresh_processes(ProcessesToUpdate::Some(&[me]), false);
    let parent = system.process(me)?.parent()?;
    system.refresh_processes(ProcessesToUpdate::Some(&[parent]), true);
    let born = system.process(parent)?.start_time();
    Some(move || {
        system.refresh_processes(ProcessesToUpdate::Some(&[parent]), true);
        system
            .process(parent)
            .is_some_and(|p| p.start_time() == born)
    })
}
