//! `riskbench generate --risks N [--seed S] -o FILE [--force]`.

use std::path::Path;

use crate::domain::canonical::to_canonical;
use crate::domain::generate::generate;
use crate::store;

use super::{EXIT_BAD_INPUT, EXIT_OK};

pub fn run(risks: usize, seed: u64, out: &Path, force: bool) -> Result<i32, i32> {
    super::import::refuse_overwrite(out, force)?;
    let reg = generate(risks, seed);
    let text = to_canonical(&reg);
    store::save_atomic(out, &text).map_err(|e| {
        eprintln!("{e}");
        EXIT_BAD_INPUT
    })?;
    eprintln!(
        "{}: {} risks, {} assets, {} threats ({} bytes)",
        out.display(),
        reg.risks.len(),
        reg.assets.len(),
        reg.threats.len(),
        text.len()
    );
    Ok(EXIT_OK)
}
