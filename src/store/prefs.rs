//! What riskbench remembers per register for the user, outside the
//! register (a choice about how *this user* works with the file is not part
//! of the ISMS record): whether saves offer a history line, and the name
//! it is recorded under. Kept in `$XDG_STATE_HOME/riskbench/history-on-save.ron`
//! (see [`super::recovery::state_home`]) as a map from the register's real
//! path to the name, written atomically and privately (0600 in a 0700
//! directory).
//!
//! A missing or unreadable file means "nothing remembered": a preference
//! must never stop the workbench from opening a register.

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};

use super::read::read_regular;
use super::recovery::{identity, state_home};
use super::write::{WriteOptions, write_atomic};

/// More than any real list of registers; a larger file is not ours.
const MAX_BYTES: u64 = 1 << 20;

fn file() -> Option<PathBuf> {
    Some(state_home()?.join("history-on-save.ron"))
}

fn key(register: &Path) -> String {
    identity(register).to_string_lossy().into_owned()
}

fn read_all(path: &Path) -> BTreeMap<String, String> {
    read_regular(path, MAX_BYTES)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| ron::from_str(&text).ok())
        .unwrap_or_default()
}

/// The name history lines are recorded under for this register, when the
/// user switched the history line on save on for it.
pub fn history_on_save(register: &Path) -> Option<String> {
    read_all(&file()?).remove(&key(register))
}

/// Remembers (`Some(name)`) or forgets (`None`) the history line on save
/// for this register.
pub(crate) fn remember_history_on_save(register: &Path, name: Option<&str>) -> Result<(), String> {
    let path = file().ok_or("no state directory (neither XDG_STATE_HOME nor HOME is set)")?;
    let mut all = read_all(&path);
    match name {
        Some(n) => all.insert(key(register), n.to_string()),
        None => all.remove(&key(register)),
    };
    if let Some(dir) = path.parent() {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| format!("{}: cannot create: {e}", dir.display()))?;
    }
    let text = ron::ser::to_string_pretty(&all, ron::ser::PrettyConfig::default())
        .map_err(|e| e.to_string())?;
    write_atomic(&path, text.as_bytes(), WriteOptions::private()).map_err(|e| e.to_string())
}
