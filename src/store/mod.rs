//! Files: loading registers with `FILE:LINE:COLUMN` errors, locating
//! entities in the source for validation messages, and the file safety
//! every read and write goes through: [`read::read_regular`] (regular files
//! only, with a hard size limit) and [`write::write_atomic`] (temporary
//! file, no symlink followed, mode and owner kept, rename, `.bak`).

pub mod compact;
pub mod load;
pub mod locate;
pub mod lock;
pub mod prefs;
pub mod read;
pub mod recovery;
pub mod save;
pub mod write;

pub use compact::load_compact;
pub(crate) use load::load_file_located;
pub use load::{LoadError, Loaded, load_file, parse_str};
pub use locate::Located;
pub(crate) use locate::SourceMap;
pub(crate) use read::{ReadError, read_regular};
pub use save::{SaveError, save_atomic};
pub(crate) use write::{OutputKind, check_export, check_output, real_path, write_atomic};
pub use write::{WriteError, WriteOptions, writable, write_atomic_with};
