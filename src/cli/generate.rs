//! `riskbench generate --risks N [--seed S] -o FILE`.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::domain::generate::{MAX_RISKS, write_generated};

use super::{EXIT_BAD_INPUT, EXIT_OK};

/// Writes the register as it is generated (see [`write_generated`]), so
/// memory does not grow with `risks`; a count above [`MAX_RISKS`] is
/// refused before anything is written.
pub fn run(risks: usize, seed: u64, out: &Path) -> Result<i32, i32> {
    if risks > MAX_RISKS {
        eprintln!(
            "generate: --risks {risks} is too many: at most {MAX_RISKS} (about 5 GB of text)"
        );
        return Err(EXIT_BAD_INPUT);
    }
    let summary = write_streaming(out, |f| write_generated(risks, seed, f)).map_err(|e| {
        eprintln!("{e}");
        EXIT_BAD_INPUT
    })?;
    eprintln!(
        "{}: {} risks, {} assets, {} threats ({} bytes)",
        out.display(),
        summary.risks,
        summary.assets,
        summary.threats,
        summary.bytes
    );
    Ok(EXIT_OK)
}

/// `path` with `suffix` added to its file name.
fn sibling(path: &Path, suffix: &str) -> Option<PathBuf> {
    let mut name: OsString = path.file_name()?.to_os_string();
    name.push(suffix);
    Some(path.with_file_name(name))
}

/// Creates `path` new: never through a file or a link already there.
fn create_new(path: &Path) -> io::Result<File> {
    OpenOptions::new().write(true).create_new(true).open(path)
}

/// The temporary files of a write that has not finished, removed when it
/// is dropped: only files this process created, never one that was there.
struct Leftovers(Vec<PathBuf>);

impl Drop for Leftovers {
    fn drop(&mut self) {
        for p in &self.0 {
            let _ = fs::remove_file(p);
        }
    }
}

// TODO(merge): use store's streaming atomic writer
/// Writes `path` through a temporary file in the same directory that
/// `write` fills, then renames it into place: a failure (a full disk)
/// leaves the old file as it was and no temporary file behind. As
/// `store::save_atomic` does, the previous file is kept as `.bak`, and
/// the new file keeps the old one's permissions.
fn write_streaming<T>(
    path: &Path,
    write: impl FnOnce(&mut File) -> io::Result<T>,
) -> Result<T, String> {
    let fail = |what: &str, e: io::Error| format!("{}: cannot write: {what}: {e}", path.display());
    let pid = std::process::id();
    let (Some(tmp), Some(bak), Some(bak_tmp)) = (
        sibling(path, &format!(".tmp-{pid}")),
        sibling(path, ".bak"),
        sibling(path, &format!(".bak.tmp-{pid}")),
    ) else {
        return Err(format!("{}: not a file name", path.display()));
    };
    let previous = fs::metadata(path).ok().filter(|m| m.is_file());
    let mut leftovers = Leftovers(Vec::new());

    let mut f = create_new(&tmp).map_err(|e| fail("creating the temporary file", e))?;
    leftovers.0.push(tmp.clone());
    if let Some(m) = &previous {
        f.set_permissions(m.permissions())
            .map_err(|e| fail("setting the temporary file's permissions", e))?;
    }
    let value = write(&mut f).map_err(|e| fail("writing the temporary file", e))?;
    f.flush()
        .and_then(|()| f.sync_all())
        .map_err(|e| fail("syncing the temporary file", e))?;
    drop(f);
    if previous.is_some() {
        // Copied to a temporary name first: a failing copy must not cost
        // the previous good `.bak`.
        let keep = |e| fail("keeping the previous version as .bak", e);
        let mut from = File::open(path).map_err(keep)?;
        let mut to = create_new(&bak_tmp).map_err(keep)?;
        leftovers.0.push(bak_tmp.clone());
        io::copy(&mut from, &mut to)
            .and_then(|_| to.sync_all())
            .map_err(keep)?;
        fs::rename(&bak_tmp, &bak).map_err(keep)?;
        leftovers.0.pop();
    }
    fs::rename(&tmp, path).map_err(|e| fail("replacing the file", e))?;
    leftovers.0.clear();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if let Ok(d) = File::open(dir) {
        // Directory fsync makes the rename durable; not every platform
        // allows it, and the data itself is already synced.
        let _ = d.sync_all();
    }
    Ok(value)
}
