//! Crash recovery: unsaved edits written to a recovery file on panic,
//! SIGTERM/SIGHUP and every 30 seconds while there are unsaved edits, and
//! offered back when the register is next opened.
//!
//! Where: `FILE.recover.ron` beside the register's real file (see
//! [`super::write::real_path`]), or, when that cannot be written (a
//! read-only directory, a full disk, a symbolic link planted there), in the
//! per-user state directory `$XDG_STATE_HOME/riskbench/recover/` (else
//! `~/.local/state/riskbench/recover/`, created 0700) as
//! `NAME-HASH.recover.ron`, HASH being 16 hex digits of the real path, so
//! two registers of the same name never share one. [`write`] says where it
//! wrote; [`find`] and [`read`] look in both places. Recovery files are
//! 0600 (they hold the register's data) and are written like every file,
//! through [`super::write::write_atomic`]: never through a symbolic link,
//! never leaving a temporary file.
//!
//! A recovery file is only removed when its edits are saved or the user
//! chose to drop them ([`discard`]); declining a restore sets
//! it aside ([`keep_aside`]: renamed with a timestamp, no longer offered,
//! still there; [`kept_aside`] lists them).

use std::fs;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{DirBuilderExt, MetadataExt};
use std::path::{Path, PathBuf};

use crate::domain::Register;
use crate::domain::canonical::to_canonical;

use super::load::{LoadError, content_hash, load_file};
use super::write::{WriteError, WriteOptions, real_path, write_atomic};

const SUFFIX: &str = ".recover.ron";

/// `dir/NAME.recover.ron` for `dir/NAME` (the place beside the register;
/// pass the real path, as the workbench does).
pub fn recovery_path(register: &Path) -> PathBuf {
    super::write::sibling(register, SUFFIX)
}

/// `$XDG_STATE_HOME/riskbench/recover`, else
/// `$HOME/.local/state/riskbench/recover`; `None` when neither variable is
/// usable (empty or relative values are ignored, as the XDG spec asks).
pub(crate) fn state_dir() -> Option<PathBuf> {
    Some(state_home()?.join("recover"))
}

/// `$XDG_STATE_HOME/riskbench`, else `$HOME/.local/state/riskbench`: what
/// riskbench remembers per user (recovery files, per-register choices).
pub fn state_home() -> Option<PathBuf> {
    let usable = |v: Option<std::ffi::OsString>| {
        v.map(PathBuf::from)
            .filter(|p| !p.as_os_str().is_empty() && p.is_absolute())
    };
    let state = match usable(std::env::var_os("XDG_STATE_HOME")) {
        Some(dir) => dir,
        None => usable(std::env::var_os("HOME"))?.join(".local/state"),
    };
    Some(state.join("riskbench"))
}

/// The register's real path, for naming: symbolic links resolved, made
/// absolute when it cannot be resolved (not there yet).
pub(crate) fn identity(register: &Path) -> PathBuf {
    fs::canonicalize(register)
        .or_else(|_| std::path::absolute(register))
        .unwrap_or_else(|_| register.to_path_buf())
}

/// `NAME-HASH` for the state directory: the file name (cut to stay within
/// file-name limits) and a hash of the whole real path.
fn fallback_stem(register: &Path) -> String {
    let real = identity(register);
    let mut name = real
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "register".into());
    if name.len() > 200 {
        let mut cut = 200;
        while !name.is_char_boundary(cut) {
            cut -= 1;
        }
        name.truncate(cut);
    }
    format!("{name}-{:016x}", content_hash(real.as_os_str().as_bytes()))
}

/// Where the recovery file goes when it cannot go beside the register.
pub fn fallback_path(register: &Path) -> Option<PathBuf> {
    Some(state_dir()?.join(format!("{}{SUFFIX}", fallback_stem(register))))
}

/// Neither place could be written.
#[derive(Debug)]
pub struct RecoveryWriteError {
    /// Why `FILE.recover.ron` beside the register could not be written.
    pub beside: WriteError,
    /// Why the state directory could not be used either.
    pub fallback: String,
}

impl std::fmt::Display for RecoveryWriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "unsaved edits not written: {}; nor {}",
            self.beside, self.fallback
        )
    }
}

impl std::error::Error for RecoveryWriteError {}

fn is_regular(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
}

/// Removes `path` if it is a regular file (a planted link is left alone).
fn remove_regular(path: &Path) -> io::Result<()> {
    if is_regular(path) {
        fs::remove_file(path)?;
    }
    Ok(())
}

/// Writes the register to the recovery file, beside the register first,
/// else in the state directory; returns the path written. The copy in the
/// other place, now stale, is removed.
pub fn write(register_path: &Path, reg: &Register) -> Result<PathBuf, RecoveryWriteError> {
    let real = real_path(register_path).unwrap_or_else(|_| register_path.to_path_buf());
    let text = to_canonical(reg);
    let beside = recovery_path(&real);
    let owner = fs::metadata(&real).ok().map(|m| (m.uid(), m.gid()));
    let opts = WriteOptions {
        owner,
        ..WriteOptions::private()
    };
    let beside_error = match write_atomic(&beside, text.as_bytes(), opts) {
        Ok(()) => {
            if let Some(other) = fallback_path(&real) {
                let _ = remove_regular(&other);
            }
            return Ok(beside);
        }
        Err(e) => e,
    };
    let fail = |fallback: String| RecoveryWriteError {
        beside: beside_error.clone(),
        fallback,
    };
    let Some(fallback) = fallback_path(&real) else {
        return Err(fail(
            "in a state directory (neither XDG_STATE_HOME nor HOME is set)".into(),
        ));
    };
    if let Some(dir) = fallback.parent() {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| fail(format!("{}: cannot create: {e}", dir.display())))?;
    }
    write_atomic(&fallback, text.as_bytes(), WriteOptions::private())
        .map_err(|e| fail(e.to_string()))?;
    let _ = remove_regular(&beside);
    Ok(fallback)
}

/// The recovery file for this register, if there is one: beside it or in
/// the state directory (the newer, when both are there). Only regular
/// files count.
pub fn find(register_path: &Path) -> Option<PathBuf> {
    let real = real_path(register_path).unwrap_or_else(|_| register_path.to_path_buf());
    let mtime = |p: &Path| fs::symlink_metadata(p).ok().and_then(|m| m.modified().ok());
    let mut found: Option<PathBuf> = None;
    for candidate in [Some(recovery_path(&real)), fallback_path(&real)]
        .into_iter()
        .flatten()
    {
        if !is_regular(&candidate) {
            continue;
        }
        found = match found {
            Some(f) if mtime(&f) >= mtime(&candidate) => Some(f),
            _ => Some(candidate),
        };
    }
    found
}

/// The recovery file's register, if there is one.
pub fn read(register_path: &Path) -> Option<Result<Register, LoadError>> {
    find(register_path).map(|p| load_file(&p).map(|l| l.register))
}

/// Sets the recovery file aside: renames it to
/// `FILE.recover-YYYYMMDD-HHMMSS.ron` in the same directory, so it is no
/// longer offered but nothing is lost. Returns the new name. Never
/// replaces a file (a second one in the same second gets `-2`, …).
pub fn keep_aside(register_path: &Path) -> io::Result<PathBuf> {
    let found = find(register_path)
        .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "there is no recovery file"))?;
    let name = found
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let base = name.strip_suffix(SUFFIX).unwrap_or(&name).to_string();
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    for n in 1..1000 {
        let extra = if n == 1 {
            String::new()
        } else {
            format!("-{n}")
        };
        let aside = found.with_file_name(format!("{base}.recover-{stamp}{extra}.ron"));
        // A hard link fails when the name is taken, where a rename would
        // silently replace; fall back to a checked rename where links are
        // not supported.
        match fs::hard_link(&found, &aside) {
            Ok(()) => {
                fs::remove_file(&found)?;
                return Ok(aside);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(_) if fs::symlink_metadata(&aside).is_err() => {
                fs::rename(&found, &aside)?;
                return Ok(aside);
            }
            Err(_) => continue,
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "too many recovery files set aside this second",
    ))
}

/// The recovery files set aside for this register, oldest first.
pub fn kept_aside(register_path: &Path) -> Vec<PathBuf> {
    let real = real_path(register_path).unwrap_or_else(|_| register_path.to_path_buf());
    let beside_base = real
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut places = vec![(recovery_path(&real), beside_base)];
    if let Some(f) = fallback_path(&real) {
        places.push((f, fallback_stem(&real)));
    }
    let mut kept = Vec::new();
    for (place, base) in places {
        let dir = place.parent().unwrap_or(Path::new("."));
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let Ok(entries) = fs::read_dir(dir) else {
            continue;
        };
        let prefix = format!("{base}.recover-");
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(&prefix) && name.ends_with(".ron") && is_regular(&entry.path()) {
                kept.push(entry.path());
            }
        }
    }
    kept.sort();
    kept
}

/// Removes the recovery file, wherever it is (call only when the user
/// confirmed dropping the edits, or after they were saved). A file that
/// cannot be removed stays, and is offered again next time: nothing lost.
pub fn discard(register_path: &Path) {
    let real = real_path(register_path).unwrap_or_else(|_| register_path.to_path_buf());
    let _ = remove_regular(&recovery_path(&real));
    if let Some(f) = fallback_path(&real) {
        let _ = remove_regular(&f);
    }
}
