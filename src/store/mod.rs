//! Files: loading registers with `FILE:LINE:COLUMN` errors, locating
//! entities in the source for validation messages, and atomic saves.

pub mod load;
pub mod locate;
pub mod lock;
pub mod recovery;
pub mod save;

pub use load::{LoadError, Loaded, load_file, load_file_located, parse_str};
pub use locate::{Located, SourceMap};
pub use save::{SaveError, save_atomic};
