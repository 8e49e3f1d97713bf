//! Everything derived from a register on a given day: evaluation, SoA and
//! validation findings. The CLI builds one per command; the TUI keeps one
//! alive and refreshes it after each edit.

use chrono::NaiveDate;

use super::eval::Evaluation;
use super::model::Register;
use super::soa::Soa;
use super::validate::{Finding, Severity, validate, validate_errors};

/// A register's evaluation, SoA and findings on one day, built together so
/// they always describe the same register.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Every risk's scores, levels and review dates.
    pub eval: Evaluation,
    /// The Statement of Applicability derived from risks, factors and decisions.
    pub soa: Soa,
    /// What `riskbench check` reports, errors first.
    pub findings: Vec<Finding>,
}

impl Analysis {
    /// Evaluates `reg` as of `today` (review dates and acceptances depend on
    /// the day).
    pub fn new(reg: &Register, today: NaiveDate) -> Analysis {
        Analysis::with(reg, today, validate)
    }

    /// [`Analysis::new`] with errors only among the findings, for the
    /// commands that write documents (`soa`, `risks`, `plan`): they refuse
    /// a register with errors and show no warnings.
    pub fn for_documents(reg: &Register, today: NaiveDate) -> Analysis {
        Analysis::with(reg, today, validate_errors)
    }

    fn with(
        reg: &Register,
        today: NaiveDate,
        check: fn(&Register, &Evaluation, &Soa) -> Vec<Finding>,
    ) -> Analysis {
        let eval = Evaluation::new(reg, today);
        let soa = Soa::build(reg, &eval);
        let findings = check(reg, &eval, &soa);
        Analysis {
            eval,
            soa,
            findings,
        }
    }

    /// Evaluates again after a change to the environment only (see
    /// [`Evaluation::reevaluate`]), then rebuilds the SoA and the findings.
    pub fn reevaluate(&mut self, reg: &Register, today: NaiveDate) {
        self.eval.reevaluate(reg, today);
        self.soa = Soa::build(reg, &self.eval);
        self.findings = validate(reg, &self.eval, &self.soa);
    }

    /// The findings that make the register unusable until fixed.
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
    }

    /// The findings a person should look at, which do not stop anything.
    pub fn warnings(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
    }

    /// Whether any finding is an error (commands then refuse the register).
    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }
}
