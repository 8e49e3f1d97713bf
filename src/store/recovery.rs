//! Crash recovery: unsaved edits written to `FILE.recover.ron` on panic,
//! SIGTERM/SIGHUP and every 30 seconds while there are unsaved edits, and
//! offered back when FILE is next opened. A successful save or a deliberate
//! "quit without saving" removes it.

use std::path::{Path, PathBuf};

use crate::domain::Register;
use crate::domain::canonical::to_canonical;

use super::load::{LoadError, load_file};

/// `dir/NAME.recover.ron` for `dir/NAME`.
pub fn recovery_path(register: &Path) -> PathBuf {
    let mut name = register
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".recover.ron");
    register.with_file_name(name)
}

/// Writes the register to the recovery file (atomically, no `.bak`).
pub fn write(register_path: &Path, reg: &Register) -> std::io::Result<PathBuf> {
    use std::io::Write;
    let path = recovery_path(register_path);
    let tmp = path.with_extension("ron.tmp");
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(to_canonical(reg).as_bytes())?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, &path)?;
    Ok(path)
}

/// The recovery file's register, if there is one.
pub fn read(register_path: &Path) -> Option<Result<Register, LoadError>> {
    let path = recovery_path(register_path);
    path.is_file().then(|| load_file(&path).map(|l| l.register))
}

pub fn remove(register_path: &Path) {
    let _ = std::fs::remove_file(recovery_path(register_path));
}

/// Moves the recovery file aside to `FILE.recover-YYYYMMDD-HHMMSS.ron`: kept,
/// but no longer offered at start. Returns the new name.
pub fn keep_aside(register_path: &Path) -> std::io::Result<PathBuf> {
    let path = recovery_path(register_path);
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let mut name = register_path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(format!(".recover-{stamp}.ron"));
    let kept = register_path.with_file_name(name);
    std::fs::rename(&path, &kept)?;
    Ok(kept)
}

/// Deletes the recovery file (the user confirmed).
pub fn discard(register_path: &Path) {
    remove(register_path);
}
