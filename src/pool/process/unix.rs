//! A worker process on Unix: it notices when its parent is gone.

use std::time::Duration;

/// How often a worker checks that its parent is still alive.
const ORPHAN_POLL: Duration = Duration::from_millis(100);

/// Ends this process once its parent has gone (it is re-parented), even in
/// the middle of a long task that would otherwise keep it alive.
pub(super) fn watch_parent() {
    let parent = std::os::unix::process::parent_id();
    let _ = std::thread::Builder::new()
        .name("parent-watch".into())
        .spawn(move || {
            loop {
                std::thread::sleep(ORPHAN_POLL);
                if std::os::unix::process::parent_id() != parent {
                    std::process::exit(0);
                }
            }
        });
}
