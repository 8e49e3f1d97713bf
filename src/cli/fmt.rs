//! `riskbench fmt FILE [--check]`: rewrite a register in canonical form
//! (what the workbench writes), or with `--check` only report whether it
//! already is. Hand-edited files then diff cleanly in git.
//!
//! A symbolic link is rewritten through: the file it points to gets the
//! canonical text and the link stays a link. The rewrite keeps the file's
//! mode and owner and its previous version as `.bak`; a file without
//! write permission is refused (see `store::write`).

use std::path::Path;

use crate::domain::canonical::to_canonical;
use crate::store;

use super::{EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK};

pub fn run(path: &Path, check: bool) -> Result<i32, i32> {
    let bytes = store::load::read_bytes(path).map_err(|e| {
        crate::ewarn!("{e}");
        EXIT_BAD_INPUT
    })?;
    let loaded = store::load::parse_bytes(&path.display().to_string(), &bytes).map_err(|e| {
        crate::ewarn!("{e}");
        EXIT_BAD_INPUT
    })?;
    let text = to_canonical(&loaded.register);
    if text.as_bytes() == bytes.as_slice() {
        crate::ewarn!("{}: already canonical", path.display());
        return Ok(EXIT_OK);
    }
    if check {
        crate::ewarn!(
            "{}: not in canonical form (run `riskbench fmt`)",
            path.display()
        );
        return Ok(EXIT_FINDINGS);
    }
    let real = store::real_path(path).map_err(|e| {
        crate::ewarn!("{}: cannot resolve the symbolic link: {e}", path.display());
        EXIT_BAD_INPUT
    })?;
    store::save_atomic(&real, &text).map_err(|e| {
        crate::ewarn!("{e}");
        EXIT_BAD_INPUT
    })?;
    crate::ewarn!("{}: rewritten in canonical form", path.display());
    Ok(EXIT_OK)
}
