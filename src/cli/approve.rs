//! `riskbench approve FILE --by NAME [--note TEXT]` (the SoA) and
//! `riskbench approve FILE --plan --by NAME [--note TEXT]` (the treatment
//! plan): the approvals of REGISTER.md §5 from scripts, recorded exactly as
//! the workbench records them (`domain::approval`).
//!
//! The SoA is refused while the register has errors or any control is
//! Undecided, the plan while it has errors: an auditor must never find an
//! approved version of a document that was not finished. Refused means exit
//! 1 with every blocker on stderr and the file untouched. Otherwise the SoA
//! gets a new baseline (version = last + 1; earlier ones are never removed)
//! and the plan its `plan_approval` (replacing the earlier one, which the
//! history keeps), each with a history line; the register is written as
//! `import --into` writes it: canonical, atomically, the previous version
//! as `.bak`, its mode kept, never under a workbench that has it open.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::Args;

use crate::domain::approval::{
    next_baseline, plan_approval, plan_history_entry, soa_blockers, soa_history_entry,
};
use crate::domain::diff::{baseline_changes, summarize_soa};
use crate::domain::{Finding, Register};

use super::{EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, Opened};

#[derive(Debug, Args)]
pub struct ApproveArgs {
    /// The register whose SoA (or plan) is approved; it is rewritten.
    pub file: PathBuf,
    /// Who approves (recorded in the baseline, or the plan approval, and
    /// the history).
    #[arg(long, value_name = "NAME")]
    pub by: String,
    /// A note recorded with the approval (e.g. "Management review 2026").
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub note: String,
    /// Approve the treatment plan instead of the SoA.
    #[arg(long)]
    pub plan: bool,
}

pub fn run(args: &ApproveArgs, today: NaiveDate) -> Result<i32, i32> {
    if args.by.trim().is_empty() {
        crate::ewarn!("approve: --by needs the approver's name (it is what the approval records)");
        return Err(EXIT_BAD_INPUT);
    }
    // Loaded as `fmt` and `import --into` load: a malformed file or one
    // that is not a register is exit 2 with its position.
    let opened = super::open(&args.file, today)?;
    let name = args.file.display().to_string();
    let errors: Vec<&Finding> = opened.analysis.errors().collect();
    if args.plan {
        if !errors.is_empty() {
            report_errors(&opened, &errors);
            crate::ewarn!(
                "{name}: plan not approved: the register has {}; fix them first (see `riskbench check`); nothing written",
                count(errors.len(), "error")
            );
            return Ok(EXIT_FINDINGS);
        }
        let mut reg = opened.register;
        let approval = plan_approval(&args.by, &args.note, today);
        reg.history.push(plan_history_entry(&approval));
        let line = format!(
            "Plan approved by {} on {} ({} actions)",
            approval.by,
            approval.on,
            reg.actions.len()
        );
        reg.plan_approval = Some(approval);
        write(&args.file, &reg)?;
        crate::outln!("{}", crate::escape::for_terminal(&line));
        return Ok(EXIT_OK);
    }
    let blockers = soa_blockers(&opened.analysis);
    if !blockers.is_empty() {
        report_errors(&opened, &blockers.errors);
        if !blockers.undecided.is_empty() {
            crate::ewarn!(
                "{name}: {} Undecided: {}",
                count(blockers.undecided.len(), "control"),
                blockers.undecided.join(", ")
            );
        }
        crate::ewarn!(
            "{name}: SoA not approved: {}; an approved SoA decides every control and has no errors (see `riskbench check`); nothing written",
            blockers.summary()
        );
        return Ok(EXIT_FINDINGS);
    }
    let (reg, an) = (&opened.register, &opened.analysis);
    let baseline = next_baseline(reg, an, &args.by, &args.note, today);
    let entry = soa_history_entry(reg, an, &baseline);
    let line = format!(
        "SoA v{} approved by {} on {}: {}",
        baseline.version,
        baseline.by,
        baseline.approved,
        summarize_soa(&baseline_changes(reg, an))
    );
    let mut reg = opened.register;
    reg.baselines.push(baseline);
    reg.history.push(entry);
    write(&args.file, &reg)?;
    crate::outln!("{}", crate::escape::for_terminal(&line));
    Ok(EXIT_OK)
}

/// `N things`.
fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// Each error as `check` prints it (`FILE:LINE:COL: error[code] AT:
/// message` where the entity is found in the file).
fn report_errors(opened: &Opened, errors: &[&Finding]) {
    for f in errors {
        crate::ewarn!("{}", super::check::render_finding(opened, f));
    }
}

/// Writes the approved register as `import --into` does (see
/// [`super::write_back`]).
fn write(file: &Path, reg: &Register) -> Result<(), i32> {
    let name = file.display().to_string();
    super::write_back(file, reg, "approve there, or close it first")?;
    crate::ewarn!("wrote {name} (the previous version kept as {name}.bak)");
    Ok(())
}
