//! `riskbench generate --risks N [--seed S] [--actions M] -o FILE
//! [--force]`.

use std::path::Path;

use crate::domain::canonical::to_canonical;
use crate::domain::generate::{MAX_RISKS, generate, with_plan, write_generated};
use crate::store::{self, WriteOptions};

use super::{EXIT_BAD_INPUT, EXIT_OK};

/// Writes the register as it is generated (see [`write_generated`]) through
/// the store's atomic streaming writer, so memory does not grow with
/// `risks`; a count above [`MAX_RISKS`] is refused before anything is
/// written, and so is an output that `-o` may not replace. With
/// `--actions M` the register is made in memory instead (the actions pick
/// among its risks, see [`with_plan`]); without, the bytes are what they
/// always were.
pub fn run(risks: usize, actions: usize, seed: u64, out: &Path, force: bool) -> Result<i32, i32> {
    if risks > MAX_RISKS {
        crate::ewarn!(
            "generate: --risks {risks} is too many: at most {MAX_RISKS} (about 5 GB of text)"
        );
        return Err(EXIT_BAD_INPUT);
    }
    if actions > MAX_RISKS {
        crate::ewarn!("generate: --actions {actions} is too many: at most {MAX_RISKS}");
        return Err(EXIT_BAD_INPUT);
    }
    if actions > 0 && risks == 0 {
        crate::ewarn!(
            "generate: --actions needs risks for the actions to treat (--risks 1 or more)"
        );
        return Err(EXIT_BAD_INPUT);
    }
    super::import::refuse_overwrite(out, force)?;
    if actions > 0 {
        return run_with_plan(risks, actions, seed, out);
    }
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

/// `generate --actions M`: the register and its plan in memory, written
/// atomically (with `.bak`, as without a plan).
fn run_with_plan(risks: usize, actions: usize, seed: u64, out: &Path) -> Result<i32, i32> {
    let mut reg = generate(risks, seed);
    with_plan(&mut reg, actions, seed);
    let text = to_canonical(&reg);
    store::write_atomic(out, text.as_bytes(), WriteOptions::default().with_backup()).map_err(
        |e| {
            crate::ewarn!("{e}");
            EXIT_BAD_INPUT
        },
    )?;
    crate::ewarn!(
        "{}: {} risks, {} assets, {} threats, {} actions ({} bytes)",
        out.display(),
        reg.risks.len(),
        reg.assets.len(),
        reg.threats.len(),
        reg.actions.len(),
        text.len()
    );
    Ok(EXIT_OK)
}
