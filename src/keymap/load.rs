//! Where keymaps come from: the embedded ones (by name), files on disk, and
//! the user override file merged over them.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::parse::MAX_KEYMAP_BYTES;
use super::{Keymap, KeymapError};

/// `keymaps/default.ron`, embedded.
pub const DEFAULT_RON: &str = include_str!("../../keymaps/default.ron");
/// `keymaps/vim.ron`, embedded.
pub(crate) const VIM_RON: &str = include_str!("../../keymaps/vim.ron");

impl Keymap {
    /// The embedded `keymaps/default.ron`.
    #[allow(clippy::panic, reason = "embedded keymap, checked by the tests")]
    pub fn default_keymap() -> Keymap {
        // The embedded file is checked by the test suite; failing here is a
        // build defect, not bad user input.
        Keymap::parse("keymaps/default.ron", DEFAULT_RON)
            .unwrap_or_else(|e| panic!("embedded default keymap is invalid: {e}"))
    }

    /// An embedded keymap by name (`"default"`, `"vim"`), if there is one.
    pub fn builtin(name: &str) -> Option<Result<Keymap, KeymapError>> {
        match name {
            "default" => Some(Keymap::parse("keymaps/default.ron", DEFAULT_RON)),
            "vim" => Some(Keymap::parse("keymaps/vim.ron", VIM_RON)),
            _ => None,
        }
    }

    /// `"default"` and `"vim"` are the embedded keymaps; anything else is a
    /// path to a RON keymap file (write `./vim` for a file called `vim`).
    pub fn named_or_path(name_or_path: &str) -> Result<Keymap, KeymapError> {
        match Keymap::builtin(name_or_path) {
            Some(result) => result,
            None => Keymap::from_path(Path::new(name_or_path)),
        }
    }

    /// Reads and parses a keymap file. Files over 1 MiB are refused before
    /// parsing; errors are labelled with the path as given.
    pub fn from_path(path: &Path) -> Result<Keymap, KeymapError> {
        let label = path.display().to_string();
        let src = read_source(path, &label)?;
        Keymap::parse(&label, &src)
    }

    /// The keymap named (or at the path) `name_or_path`, with the user
    /// override file at `user` merged over it when that file exists.
    /// Pass [`Keymap::user_override_path`] for the usual location.
    pub fn load_with_user_override(
        name_or_path: &str,
        user: Option<&Path>,
    ) -> Result<Keymap, KeymapError> {
        let mut keymap = Keymap::named_or_path(name_or_path)?;
        if let Some(path) = user.filter(|p| p.exists()) {
            keymap.merge_over(Keymap::from_path(path)?);
        }
        Ok(keymap)
    }

    /// `$XDG_CONFIG_HOME/riskbench/keymap.ron`, else
    /// `$HOME/.config/riskbench/keymap.ron`; `None` when neither variable is
    /// usable. (An empty or relative `XDG_CONFIG_HOME` is ignored, as the
    /// XDG spec asks.) The file need not exist.
    pub fn user_override_path() -> Option<PathBuf> {
        override_path_from(
            std::env::var_os("XDG_CONFIG_HOME"),
            std::env::var_os("HOME"),
        )
    }
}

fn override_path_from(xdg: Option<OsString>, home: Option<OsString>) -> Option<PathBuf> {
    let usable = |v: Option<OsString>| {
        v.map(PathBuf::from)
            .filter(|p| !p.as_os_str().is_empty() && p.is_absolute())
    };
    let config = match usable(xdg) {
        Some(dir) => dir,
        None => usable(home)?.join(".config"),
    };
    Some(config.join("riskbench").join("keymap.ron"))
}

/// Reads at most 1 MiB through `store::read_regular` (regular files only:
/// a FIFO or a device given as a keymap is refused, never waited on) and
/// checks UTF-8, reporting the line and column of the first invalid byte.
fn read_source(path: &Path, label: &str) -> Result<String, KeymapError> {
    use crate::store::ReadError;
    let bytes = crate::store::read_regular(path, MAX_KEYMAP_BYTES as u64).map_err(|e| {
        let message = match e {
            ReadError::NotRegular(kind) => {
                format!("cannot read keymap: it is {kind}, not a regular file")
            }
            ReadError::TooLarge { .. } => {
                "keymap file is larger than 1 MiB; refusing to read it".to_string()
            }
            ReadError::Io(e) => format!("cannot read keymap: {e}"),
        };
        KeymapError::unpositioned(label, message)
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        // Valid by construction; lossy only to avoid an unwrap.
        let before = String::from_utf8_lossy(valid);
        let line = 1 + before.matches('\n').count();
        let col = 1 + before.rsplit('\n').next().map_or(0, |l| l.chars().count());
        KeymapError {
            file: label.to_string(),
            line,
            col,
            message: "keymap is not valid UTF-8".to_string(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn override_path_rules() {
        let p = |x: Option<&str>, h: Option<&str>| {
            override_path_from(x.map(OsString::from), h.map(OsString::from))
        };
        assert_eq!(
            p(Some("/x/cfg"), Some("/home/u")),
            Some(PathBuf::from("/x/cfg/riskbench/keymap.ron"))
        );
        assert_eq!(
            p(None, Some("/home/u")),
            Some(PathBuf::from("/home/u/.config/riskbench/keymap.ron"))
        );
        assert_eq!(
            p(Some(""), Some("/home/u")),
            Some(PathBuf::from("/home/u/.config/riskbench/keymap.ron"))
        );
        assert_eq!(
            p(Some("relative"), Some("/home/u")),
            Some(PathBuf::from("/home/u/.config/riskbench/keymap.ron"))
        );
        assert_eq!(p(None, None), None);
        assert_eq!(p(None, Some("")), None);
    }
}
