//! Saving a register: [`super::write::write_atomic`] with the previous
//! version kept as `FILE.bak`. The new file keeps the old one's mode and
//! owner; a failure at any step leaves the original (and the old `.bak`)
//! intact and no temporary file behind.

use std::path::{Path, PathBuf};

use super::write::{WriteError, WriteOptions, write_atomic};

#[derive(Debug)]
pub struct SaveError {
    pub path: PathBuf,
    pub message: String,
}

impl std::fmt::Display for SaveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: cannot save: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for SaveError {}

impl From<WriteError> for SaveError {
    fn from(e: WriteError) -> SaveError {
        SaveError {
            path: e.path,
            message: e.message,
        }
    }
}

/// Writes `contents` to `path` atomically, keeping the old file as `.bak`.
pub fn save_atomic(path: &Path, contents: &str) -> Result<(), SaveError> {
    write_atomic(
        path,
        contents.as_bytes(),
        WriteOptions::default().with_backup(),
    )
    .map_err(SaveError::from)
}
