//! The one way riskbench writes a file: registers, `fmt`, `import`,
//! `migrate`, `generate`, the exports and the recovery file all go through
//! [`write_atomic`] / [`write_atomic_with`].
//!
//! The new content goes to a temporary file beside the target, created with
//! `O_CREAT|O_EXCL|O_NOFOLLOW` (a name planted there, symlink or not, makes
//! the write fail instead of being followed); it is synced, given the mode
//! and owner of the file it replaces, and renamed over the target (a rename
//! replaces a directory entry and never follows a link), then the directory
//! is synced. The previous version, when kept, goes the same way to
//! `FILE.bak`, so a failing backup never truncates the old one. On any
//! failure the temporary files are removed and the target is untouched.
//!
//! The target itself must be a regular file or absent: a symbolic link there
//! is refused with a message saying so. (A symlinked *register* is resolved
//! to its real path once, when it is opened, see [`real_path`]; everything
//! else riskbench writes never goes through a link.) A file the user may not
//! write is refused too, though the directory would let a rename replace it.

use std::ffi::{CString, OsString};
use std::fs::{self, File, Metadata, OpenOptions, Permissions};
use std::io::{self, BufWriter, Write};

use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt, fchown};
use std::path::{Path, PathBuf};

use super::read::describe_kind;

/// A write that did not happen; the target is as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteError {
    /// The file that was to be written.
    pub path: PathBuf,
    /// What failed, naming any other file involved (the backup, a
    /// temporary file), without the target's path in front.
    pub message: String,
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: cannot write: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for WriteError {}

/// How the new file relates to the one it replaces.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// Keep the replaced file as `FILE.bak` (registers do; exports and
    /// recovery files do not).
    pub backup: bool,
    /// Exactly these permission bits, whatever the replaced file had
    /// (recovery files: 0600). `None`: the replaced file's mode, or the
    /// default (0666 less the umask) for a new file.
    pub mode: Option<u32>,
    /// Give the file this owner and group (uid, gid) instead of the
    /// replaced file's; a change not permitted is skipped.
    pub owner: Option<(u32, u32)>,
}

impl WriteOptions {
    /// Keep the replaced file as `FILE.bak`.
    pub(crate) fn with_backup(mut self) -> Self {
        self.backup = true;
        self
    }

    /// Readable and writable by the owner only (0600).
    pub(crate) fn private() -> Self {
        WriteOptions {
            mode: Some(0o600),
            ..WriteOptions::default()
        }
    }
}

/// `dir/NAME` + `suffix` → `dir/NAMEsuffix`.
pub(crate) fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name: OsString = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

/// The message for a symbolic link where riskbench was to write a file.
pub(crate) fn symlink_refusal(path: &Path) -> String {
    format!(
        "{} is a symbolic link; riskbench will not write through a symbolic link \
         (remove it, or choose another name)",
        path.display()
    )
}

/// What is at `path` now: `None` when nothing is; the metadata of a
/// regular file; a refusal for a symbolic link or any other kind of file.
/// Looks at the entry itself (`lstat`), never at what a link points to.
pub(crate) fn existing_regular(path: &Path) -> Result<Option<Metadata>, String> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(symlink_refusal(path)),
        Ok(m) if m.is_file() => Ok(Some(m)),
        Ok(m) => Err(format!(
            "{} is {}, not a regular file",
            path.display(),
            describe_kind(&m)
        )),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// Whether this process may write the file: `faccessat(W_OK)` with the
/// effective ids, and some write bit in the mode at all, because root
/// passes the access check on any file and a file nobody may write is a
/// file its owner meant to keep as it is.
#[allow(unsafe_code, reason = "faccessat(AT_EACCESS) has no safe form in std")]
pub fn writable(path: &Path) -> bool {
    let Ok(meta) = fs::metadata(path) else {
        return false;
    };
    if meta.mode() & 0o222 == 0 {
        return false;
    }
    let Ok(c) = CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: a valid NUL-terminated path; faccessat only inspects it.
    unsafe { libc::faccessat(libc::AT_FDCWD, c.as_ptr(), libc::W_OK, libc::AT_EACCESS) == 0 }
}

/// The file a register path names: the path as given, unless its last
/// component is a symbolic link, then the real path it resolves to. Saving
/// through the real path keeps the link a link and updates its target; the
/// lock, the backup and the recovery file go beside the real file, so a
/// link and its target share them. (A link in a parent directory needs no
/// resolving: a rename there replaces the same entry the name reads.)
pub(crate) fn real_path(path: &Path) -> io::Result<PathBuf> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => fs::canonicalize(path),
        _ => Ok(path.to_path_buf()),
    }
}

/// Removes a temporary file this module created, unless disarmed (after
/// the rename made it the target). Runs on every early return and on a
/// panic in the caller's closure: no leftovers.
struct TempGuard<'a> {
    path: &'a Path,
    armed: bool,
}

impl Drop for TempGuard<'_> {
    fn drop(&mut self) {
        if self.armed {
            let _ = fs::remove_file(self.path);
        }
    }
}

/// Creates `path` exclusively, never following a link; `initial_mode`
/// before the umask. A name already there is explained, not followed.
fn create_exclusive(path: &Path, initial_mode: u32) -> Result<File, String> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(initial_mode)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)
        .map_err(|e| match fs::symlink_metadata(path) {
            Ok(m) if m.file_type().is_symlink() => symlink_refusal(path),
            Ok(_) if e.kind() == io::ErrorKind::AlreadyExists => format!(
                "the temporary file {} already exists (left by a riskbench that was \
                 interrupted?); remove it and try again",
                path.display()
            ),
            _ => format!("creating the temporary file {}: {e}", path.display()),
        })
}

/// Gives the open file the owner and group, then the mode, of the file it
/// replaces (or those asked for). Owner first: a change of owner clears
/// set-id bits. A change not permitted (a user cannot give a file away)
/// is skipped; when the group cannot be kept, the group's permissions are
/// dropped rather than granted to the writer's own group.
fn set_mode_and_owner(file: &File, mode: Option<u32>, owner: Option<(u32, u32)>) -> io::Result<()> {
    let mut mode = mode;
    if let Some((uid, gid)) = owner {
        let now = file.metadata()?;
        if (now.uid(), now.gid()) != (uid, gid) {
            let both = fchown(file, Some(uid), Some(gid)).is_ok();
            // No owner given leaves the owner as it is.
            let group = both || fchown(file, None, Some(gid)).is_ok();
            if !group {
                mode = mode.map(|m| m & !0o070);
            }
        }
    }
    if let Some(mode) = mode {
        // fchmod on the open file.
        file.set_permissions(Permissions::from_mode(mode))?;
    }
    Ok(())
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Syncs a directory so a rename in it survives a crash. Not every
/// platform allows it; the data itself is synced already.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Writes `bytes` to `path` atomically (see the module documentation).
pub(crate) fn write_atomic(
    path: &Path,
    bytes: &[u8],
    opts: WriteOptions,
) -> Result<(), WriteError> {
    write_atomic_with(path, opts, |w| w.write_all(bytes))
}

/// Writes what `fill` writes to `path` atomically, streaming: nothing is
/// held in memory beyond a buffer. An error from `fill` abandons the write.
/// The writer is `Send` because rust_xlsxwriter's streaming save asks for
/// one (see `export::xlsx::save_atomic`).
pub fn write_atomic_with(
    path: &Path,
    opts: WriteOptions,
    fill: impl FnOnce(&mut (dyn Write + Send)) -> io::Result<()>,
) -> Result<(), WriteError> {
    let fail = |message: String| WriteError {
        path: path.to_path_buf(),
        message,
    };
    if path.file_name().is_none() {
        return Err(fail("not a file name".into()));
    }
    let original = existing_regular(path).map_err(fail)?;
    if original.is_some() && !writable(path) {
        return Err(fail(
            "you have no write permission on it; riskbench will not replace it".into(),
        ));
    }
    let mode = opts
        .mode
        .or_else(|| original.as_ref().map(|m| m.mode() & 0o7777));
    let owner = opts
        .owner
        .or_else(|| original.as_ref().map(|m| (m.uid(), m.gid())));
    // Private until the mode is set, unless it is a new file's default.
    let initial = if mode.is_some() { 0o600 } else { 0o666 };
    let tmp = sibling(path, &format!(".tmp-{}", std::process::id()));
    let file = create_exclusive(&tmp, initial).map_err(fail)?;
    let mut guard = TempGuard {
        path: &tmp,
        armed: true,
    };
    set_mode_and_owner(&file, mode, owner)
        .map_err(|e| fail(format!("setting the temporary file's mode: {e}")))?;
    let mut out = BufWriter::new(&file);
    fill(&mut out)
        .and_then(|()| out.flush())
        .map_err(|e| fail(format!("writing the temporary file: {e}")))?;
    drop(out);
    file.sync_all()
        .map_err(|e| fail(format!("syncing the temporary file: {e}")))?;
    drop(file);
    if opts.backup && original.is_some() {
        backup(path).map_err(fail)?;
    }
    fs::rename(&tmp, path).map_err(|e| fail(format!("replacing the file: {e}")))?;
    guard.armed = false;
    sync_dir(&parent_dir(path));
    Ok(())
}

/// Copies `path` to `FILE.bak` through a temporary file renamed into place
/// only when complete, with `path`'s mode and owner.
fn backup(path: &Path) -> Result<(), String> {
    let bak = sibling(path, ".bak");
    let what = |e: String| format!("keeping the previous version as {}: {e}", bak.display());
    existing_regular(&bak).map_err(what)?;
    // The file as checked: not through a link swapped in since.
    let mut src = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(path)
        .map_err(|e| what(format!("cannot read {}: {e}", path.display())))?;
    let meta = src.metadata().map_err(|e| what(e.to_string()))?;
    if !meta.is_file() {
        return Err(what(format!(
            "{} is {}, not a regular file",
            path.display(),
            describe_kind(&meta)
        )));
    }
    let tmp = sibling(path, &format!(".bak.tmp-{}", std::process::id()));
    let mut dst = create_exclusive(&tmp, 0o600).map_err(what)?;
    let mut guard = TempGuard {
        path: &tmp,
        armed: true,
    };
    set_mode_and_owner(
        &dst,
        Some(meta.mode() & 0o7777),
        Some((meta.uid(), meta.gid())),
    )
    .and_then(|()| io::copy(&mut src, &mut dst).map(drop))
    .and_then(|()| dst.sync_all())
    .map_err(|e| what(e.to_string()))?;
    drop(dst);
    fs::rename(&tmp, &bak).map_err(|e| what(e.to_string()))?;
    guard.armed = false;
    Ok(())
}

/// What `-o` writes: a document (an export) or a register (import,
/// migrate, generate).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OutputKind {
    /// Never replaces a register, force or not: that is how a register was
    /// lost to an export. Replaces another file only with `force`.
    Document,
    /// A register made from other input. With `force` it may replace an
    /// existing file, a register included (re-importing a spreadsheet,
    /// migrating in place): what it writes is a register, and the replaced
    /// file is kept as `.bak`.
    Register,
}

/// What `-o` may write over: nothing there, or (with `force`) a regular
/// file as [`OutputKind`] allows. A symbolic link or a special file is
/// always refused.
pub(crate) fn check_output(path: &Path, force: bool, kind: OutputKind) -> Result<(), String> {
    if existing_regular(path)?.is_none() {
        return Ok(());
    }
    if kind == OutputKind::Document && is_register(path)? {
        return Err(register_refusal(path));
    }
    if !force {
        let kept = match kind {
            OutputKind::Register => " (the old file is kept as .bak)",
            OutputKind::Document => "",
        };
        return Err(format!(
            "{}: already exists; pass --force to replace it{kept}",
            path.display()
        ));
    }
    Ok(())
}

/// What the workbench's export may write over: nothing, or a workbook
/// (a zip file, as its own previous export is) or an empty file. Anything
/// else of that name is the user's, and is kept.
pub(crate) fn check_export(path: &Path) -> Result<(), String> {
    if existing_regular(path)?.is_none() {
        return Ok(());
    }
    if is_register(path)? {
        return Err(register_refusal(path));
    }
    let bytes = super::read::read_regular(path, super::load::MAX_FILE_BYTES)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if !bytes.is_empty() && !bytes.starts_with(b"PK\x03\x04") {
        return Err(format!(
            "{} exists and is not a workbook; riskbench replaces only its own \
             previous export (rename or remove the file)",
            path.display()
        ));
    }
    Ok(())
}

fn register_refusal(path: &Path) -> String {
    format!(
        "{} is a risk register; riskbench will not overwrite a register with this \
         output, even with --force: choose another name",
        path.display()
    )
}

/// Whether the regular file at `path` loads as a register. A file that
/// cannot be read cannot be shown not to be one: that is an error.
fn is_register(path: &Path) -> Result<bool, String> {
    match super::read::read_regular(path, super::load::MAX_FILE_BYTES) {
        Ok(bytes) => Ok(super::load::parse_bytes("", &bytes).is_ok()),
        Err(super::read::ReadError::TooLarge { .. }) => Ok(false),
        Err(e) => Err(format!(
            "{}: {e} (needed to make sure it is not a register)",
            path.display()
        )),
    }
}
