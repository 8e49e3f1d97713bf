//! Documents for auditors: the Statement of Applicability, the evaluated
//! risk register and the heat maps as an Excel workbook ([`write_xlsx`]) or
//! as one self-contained printable HTML page ([`html`]); and the risk
//! register's own documents, for `riskbench risks` ([`xlsx::write_risks_xlsx`],
//! [`risks_html`]): the register in the command's sort order and the heat
//! maps, without the SoA.
//!
//! Both read the same [`Analysis`] the commands and the workbench use, so a
//! document always agrees with `riskbench soa` and `riskbench risks`.

mod evidence;
mod html;
mod method;
pub mod minutes;
mod plan;
mod xlsx;

use std::path::{Path, PathBuf};

use crate::domain::catalog::Catalog;
use crate::domain::eval::level_of;
use crate::domain::{Analysis, Register, RiskEval};

pub use html::{html, risks_html};
pub use plan::plan_html;
pub(crate) use plan::{write_plan_html, write_plan_xlsx};
pub(crate) use xlsx::fit_cell;
pub use xlsx::write_xlsx;
pub(crate) use xlsx::{REGISTER_SHEET, write_risks_xlsx};

/// Writes the HTML page atomically (through `store::write_atomic`; no
/// `.bak`, as for the workbook).
pub(crate) fn write_html(reg: &Register, analysis: &Analysis, path: &Path) -> Result<(), String> {
    let page = html(reg, analysis);
    crate::store::write_atomic(path, page.as_bytes(), crate::store::WriteOptions::default())
        .map_err(|e| e.to_string())
}

/// Writes the risk register's HTML page ([`risks_html`]) atomically, as
/// [`write_html`].
pub(crate) fn write_risks_html(
    reg: &Register,
    analysis: &Analysis,
    order: &[usize],
    path: &Path,
) -> Result<(), String> {
    let page = risks_html(reg, analysis, order);
    crate::store::write_atomic(path, page.as_bytes(), crate::store::WriteOptions::default())
        .map_err(|e| e.to_string())
}

/// Where the workbench puts an export of `register`: beside it, named
/// `STEM-soa.EXT` (`registers/northwind.ron` → `registers/northwind-soa.xlsx`).
pub fn export_path(register: &Path, ext: &str) -> PathBuf {
    let stem = register
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "register".into());
    register.with_file_name(format!("{stem}-soa.{ext}"))
}

/// The four colours of the level ramp: green, yellow, orange, red.
const RAMP: [u32; 4] = [0x63BE7B, 0xFFE070, 0xFFA24D, 0xF0585A];

/// Background colour (0xRRGGBB) of level `index` among `count` levels: the
/// green → yellow → orange → red ramp by the level's position, so 3, 4 or 6
/// levels all span the whole ramp (4 levels get exactly the four colours).
pub(crate) fn level_rgb(index: usize, count: usize) -> u32 {
    if count <= 1 {
        return RAMP[0];
    }
    let t = index.min(count - 1) as f64 / (count - 1) as f64 * (RAMP.len() - 1) as f64;
    let k = (t.floor() as usize).min(RAMP.len() - 2);
    let frac = t - k as f64;
    let (a, b) = (RAMP[k], RAMP[k + 1]);
    let mix = |shift: u32| {
        let x = f64::from((a >> shift) & 0xff);
        let y = f64::from((b >> shift) & 0xff);
        ((x + (y - x) * frac).round() as u32).min(255) << shift
    };
    mix(16) | mix(8) | mix(0)
}

/// Black or white, whichever reads better on `rgb`.
pub(crate) fn text_rgb(rgb: u32) -> u32 {
    let c = |s: u32| f64::from((rgb >> s) & 0xff) / 255.0;
    let luminance = 0.299 * c(16) + 0.587 * c(8) + 0.114 * c(0);
    if luminance < 0.5 { 0xFFFFFF } else { 0x000000 }
}

/// `grid[l-1][i-1]`: in-scope risks at likelihood l and impact i, for the
/// inherent (`residual == false`) or the current residual score.
pub(crate) fn heat_counts(reg: &Register, analysis: &Analysis, residual: bool) -> Vec<Vec<usize>> {
    let nl = reg.method.likelihood.len();
    let ni = reg.method.impact.len();
    let mut grid = vec![vec![0usize; ni]; nl];
    for (_, _, e) in analysis.eval.in_scope(reg) {
        let s = if residual { &e.residual } else { &e.inherent };
        if let Some(c) = grid
            .get_mut((s.likelihood as usize).wrapping_sub(1))
            .and_then(|row| row.get_mut((s.impact as usize).wrapping_sub(1)))
        {
            *c += 1;
        }
    }
    grid
}

/// The level index of a heat-map cell (1-based likelihood and impact).
pub(crate) fn cell_level(reg: &Register, likelihood: usize, impact: usize) -> Option<usize> {
    level_of(&reg.method, likelihood as u32, impact as u32)
}

/// In-scope risks in id order, with their evaluation.
pub(crate) fn risks_by_id<'r>(
    reg: &'r Register,
    analysis: &'r Analysis,
) -> Vec<(usize, &'r RiskEval)> {
    let mut v: Vec<(usize, &RiskEval)> = analysis
        .eval
        .in_scope(reg)
        .map(|(i, _, e)| (i, e))
        .collect();
    v.sort_by(|a, b| reg.risks[a.0].id.cmp(&reg.risks[b.0].id));
    v
}

/// The risks of `order` (indices into `reg.risks`, as `riskbench risks
/// --sort` orders them) with their evaluation, in that order; a risk that
/// has no evaluation (out of scope) is left out, so every document shows
/// exactly the in-scope risks the table formats show.
pub(crate) fn risks_in_order<'a>(
    analysis: &'a Analysis,
    order: &[usize],
) -> Vec<(usize, &'a RiskEval)> {
    order
        .iter()
        .filter_map(|&i| analysis.eval.risks.get(i)?.as_ref().map(|e| (i, e)))
        .collect()
}

/// One SoA row as text: id, theme, title, applicable, justification,
/// status, linked risks.
pub(crate) fn soa_rows(reg: &Register, analysis: &Analysis) -> Vec<[String; 7]> {
    let catalog = Catalog::annex_a();
    analysis
        .soa
        .entries
        .iter()
        .map(|e| {
            let info = &catalog.controls()[e.control];
            let risks: Vec<&str> = e.risks.iter().map(|&r| reg.risks[r].id.as_str()).collect();
            [
                info.id.to_string(),
                info.theme.clone(),
                info.title.clone(),
                e.applicable.as_str().to_string(),
                e.justification(reg),
                e.status.as_str().to_string(),
                risks.join(", "),
            ]
        })
        .collect()
}

/// The name of an asset by id ("" when unknown).
pub(crate) fn asset_name<'r>(reg: &'r Register, analysis: &Analysis, id: &str) -> &'r str {
    analysis
        .eval
        .lookups
        .asset_index
        .get(id)
        .map_or("", |&i| reg.assets[i].name.as_str())
}

/// The name of a threat by id ("" when unknown).
pub(crate) fn threat_name<'r>(reg: &'r Register, analysis: &Analysis, id: &str) -> &'r str {
    analysis
        .eval
        .lookups
        .threat_index
        .get(id)
        .map_or("", |&i| reg.threats[i].name.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ramp_spans_green_to_red() {
        assert_eq!(level_rgb(0, 4), RAMP[0]);
        assert_eq!(level_rgb(1, 4), RAMP[1]);
        assert_eq!(level_rgb(2, 4), RAMP[2]);
        assert_eq!(level_rgb(3, 4), RAMP[3]);
        assert_eq!(level_rgb(0, 3), RAMP[0]);
        assert_eq!(level_rgb(2, 3), RAMP[3]);
        assert_eq!(level_rgb(0, 1), RAMP[0]);
        assert_eq!(text_rgb(0xFFFFFF), 0);
        assert_eq!(text_rgb(0x000000), 0xFFFFFF);
    }

    #[test]
    fn export_path_is_beside_the_register() {
        assert_eq!(
            export_path(Path::new("registers/northwind.ron"), "xlsx"),
            PathBuf::from("registers/northwind-soa.xlsx")
        );
    }
}
