//! The one way riskbench reads a file it is given (a register, a recovery
//! file, a CSV to import, a keymap): [`read_regular`].
//!
//! Only regular files are read. A FIFO would block the open (or the read)
//! forever, `/dev/zero` never ends, a directory is no document: each is
//! refused with a message saying what it is. The kind is checked on the
//! path first, so nothing special is ever opened in the usual case, and
//! again on the open handle (opened with `O_NONBLOCK`, so even a FIFO
//! swapped in between cannot block), and the bytes are read with a hard
//! limit: `stat` alone is no limit (a file can grow, a device says 0).

use std::fs::{self, File, Metadata, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

/// Why a file was not read. Displayed without the path: callers put their
/// own label in front.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// Not a regular file: what it is instead ("a directory", …).
    NotRegular(&'static str),
    /// Larger than the limit (`size` when the file said so up front).
    TooLarge {
        size: Option<u64>,
        limit: u64,
    },
    Io(io::Error),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NotRegular(kind) => write!(
                f,
                "is {kind}, not a regular file; riskbench reads only regular files"
            ),
            ReadError::TooLarge {
                size: Some(size),
                limit,
            } => write!(
                f,
                "the file is {size} bytes; files above {limit} bytes are refused"
            ),
            ReadError::TooLarge { size: None, limit } => {
                write!(f, "the file is larger than {limit} bytes; refused")
            }
            ReadError::Io(e) => write!(f, "cannot read: {e}"),
        }
    }
}

impl std::error::Error for ReadError {}

/// "a directory", "a named pipe (FIFO)", … for a file that is not regular.
pub(crate) fn describe_kind(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a named pipe (FIFO)"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_symlink() {
        "a symbolic link"
    } else if t.is_file() {
        "a regular file"
    } else {
        "a special file"
    }
}

/// Opens a regular file for reading (following symbolic links, as every
/// reader does) and returns it with its metadata, taken from the open
/// handle.
pub(crate) fn open_regular(path: &Path) -> Result<(File, Metadata), ReadError> {
    let meta = fs::metadata(path).map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(describe_kind(&meta)));
    }
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(path)
        .map_err(ReadError::Io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(describe_kind(&meta)));
    }
    Ok((file, meta))
}

/// Reads a regular file of at most `limit` bytes.
pub(crate) fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let (file, meta) = open_regular(path)?;
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            size: Some(meta.len()),
            limit,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { size: None, limit });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_is_exact() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"12345").unwrap();
        assert_eq!(read_regular(&path, 5).unwrap(), b"12345");
        assert!(matches!(
            read_regular(&path, 4),
            Err(ReadError::TooLarge { .. })
        ));
    }

    #[test]
    fn a_directory_and_a_device_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let e = read_regular(dir.path(), 10).unwrap_err();
        assert_eq!(
            e.to_string(),
            "is a directory, not a regular file; riskbench reads only regular files"
        );
        assert!(matches!(
            read_regular(Path::new("/dev/zero"), 10),
            Err(ReadError::NotRegular("a character device"))
        ));
    }
}
