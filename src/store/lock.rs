//! One writer per register: an advisory lock (std `File::try_lock`) on a
//! hidden lock file beside the register, held while the workbench has it
//! open. A second instance opens the register read-only instead.
//!
//! The lock file itself is left in place (removing it would race with a
//! third instance); the lock, not the file's existence, is what counts, and
//! the operating system releases it when the process ends, however it ends.
//!
//! The lock is taken on the register's real path (the workbench resolves a
//! symbolic link first, see [`super::write::real_path`]), so a link and its
//! target share one lock; the lock file is never opened through a link.

use std::fs::{File, OpenOptions};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// `dir/.NAME.lock` for `dir/NAME`.
pub(crate) fn lock_path(register: &Path) -> PathBuf {
    let name = register
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    register.with_file_name(format!(".{name}.lock"))
}

/// A held lock; released when dropped.
#[derive(Debug)]
pub struct Lock {
    _file: File,
    pub path: PathBuf,
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum LockError {
    /// Another process holds it.
    Held,
    /// The lock file cannot be created (read-only directory, …): the
    /// register can still be opened, without the guarantee.
    Unavailable(String),
}

impl Lock {
    pub(crate) fn acquire(register: &Path) -> Result<Lock, LockError> {
        let path = lock_path(register);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(&path)
            .map_err(|e| LockError::Unavailable(format!("{}: {e}", path.display())))?;
        match file.try_lock() {
            Ok(()) => Ok(Lock { _file: file, path }),
            Err(std::fs::TryLockError::WouldBlock) => Err(LockError::Held),
            Err(std::fs::TryLockError::Error(e)) => {
                Err(LockError::Unavailable(format!("{}: {e}", path.display())))
            }
        }
    }
}
