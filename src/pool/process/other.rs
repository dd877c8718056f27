//! A worker process elsewhere: it ends when its parent closes the pipe.

/// Nothing to watch: the worker ends at the end of its input, which
/// comes when the parent closes the pipe or dies.
pub(super) fn watch_parent() {}
