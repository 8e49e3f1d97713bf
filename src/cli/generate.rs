//! `riskbench generate --risks N [--seed S] -o FILE [--force]`.

use std::path::Path;

use crate::domain::generate::{MAX_RISKS, write_generated};
use crate::store::{self, WriteOptions};

use super::{EXIT_BAD_INPUT, EXIT_OK};

/// Writes the register as it is generated (see [`write_generated`]) through
/// the store's atomic streaming writer, so memory does not grow with
/// `risks`; a count above [`MAX_RISKS`] is refused before anything is
/// written, and so is an output that `-o` may not replace.
pub fn run(risks: usize, seed: u64, out: &Path, force: bool) -> Result<i32, i32> {
    if risks > MAX_RISKS {
        crate::ewarn!(
            "generate: --risks {risks} is too many: at most {MAX_RISKS} (about 5 GB of text)"
        );
        return Err(EXIT_BAD_INPUT);
    }
    super::import::refuse_overwrite(out, force)?;
    let mut summary = None;
    store::write_atomic_with(out, WriteOptions::default().with_backup(), |w| {
        summary = Some(write_generated(risks, seed, w)?);
        Ok(())
    })
    .map_err(|e| {
        crate::ewarn!("{e}");
        EXIT_BAD_INPUT
    })?;
    if let Some(s) = summary {
        crate::ewarn!(
            "{}: {} risks, {} assets, {} threats ({} bytes)",
            out.display(),
            s.risks,
            s.assets,
            s.threats,
            s.bytes
        );
    }
    Ok(EXIT_OK)
}
