//! Everything derived from a register on a given day: evaluation, SoA and
//! validation findings. The CLI builds one per command; the TUI keeps one
//! alive and refreshes it after each edit.

use chrono::NaiveDate;

use super::eval::Evaluation;
use super::model::Register;
use super::soa::Soa;
use super::validate::{Finding, Severity, validate};

#[derive(Debug, Clone)]
pub struct Analysis {
    pub eval: Evaluation,
    pub soa: Soa,
    pub findings: Vec<Finding>,
}

impl Analysis {
    pub fn new(reg: &Register, today: NaiveDate) -> Analysis {
        let eval = Evaluation::new(reg, today);
        let soa = Soa::build(reg, &eval);
        let findings = validate(reg, &eval, &soa);
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

    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
    }

    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }
}
