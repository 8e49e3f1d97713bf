//! Atomic saves: write a temporary file in the same directory, fsync it,
//! keep the previous version as `FILE.bak`, rename over the target and fsync
//! the directory. A failure at any step leaves the original file intact.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

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

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

/// Writes `contents` to `path` atomically, keeping the old file as `.bak`.
pub fn save_atomic(path: &Path, contents: &str) -> Result<(), SaveError> {
    let fail = |what: &str, e: std::io::Error| SaveError {
        path: path.to_path_buf(),
        message: format!("{what}: {e}"),
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let tmp = sibling(path, &format!(".tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|e| fail("creating the temporary file", e))?;
        f.write_all(contents.as_bytes())
            .map_err(|e| fail("writing the temporary file", e))?;
        f.sync_all()
            .map_err(|e| fail("syncing the temporary file", e))?;
        drop(f);
        if path.exists() {
            fs::copy(path, sibling(path, ".bak"))
                .map_err(|e| fail("keeping the previous version as .bak", e))?;
        }
        fs::rename(&tmp, path).map_err(|e| fail("replacing the file", e))?;
        if let Ok(d) = File::open(&dir) {
            // Directory fsync makes the rename durable; not every platform
            // allows it, and the data itself is already synced.
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}
