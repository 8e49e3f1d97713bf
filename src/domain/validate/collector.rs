//! Where the checks put their findings.

use super::{Finding, Section, Severity};

/// Collects findings; `risk` tags those produced for one risk so they can
/// be replaced when only that risk changes. Without `warnings` only errors
/// are kept ([`super::validate_errors`]).
pub(super) struct Collector {
    pub(super) findings: Vec<Finding>,
    pub(super) risk: Option<usize>,
    warnings: bool,
}

impl Collector {
    /// Every finding, tagged with `risk`.
    pub(super) fn new(risk: Option<usize>) -> Collector {
        Collector {
            findings: Vec::new(),
            risk,
            warnings: true,
        }
    }

    /// Errors only.
    pub(super) fn errors_only() -> Collector {
        Collector {
            warnings: false,
            ..Collector::new(None)
        }
    }

    pub(super) fn error(
        &mut self,
        code: &'static str,
        section: Section,
        at: &str,
        message: String,
    ) {
        self.push(Severity::Error, code, section, at, message);
    }

    pub(super) fn warn(&mut self, code: &'static str, section: Section, at: &str, message: String) {
        if self.warnings {
            self.push(Severity::Warning, code, section, at, message);
        }
    }

    /// Findings made elsewhere, kept by the same rule.
    pub(super) fn extend(&mut self, findings: Vec<Finding>) {
        let keep = |f: &Finding| self.warnings || f.severity == Severity::Error;
        let kept: Vec<Finding> = findings.into_iter().filter(keep).collect();
        self.findings.extend(kept);
    }

    fn push(
        &mut self,
        severity: Severity,
        code: &'static str,
        section: Section,
        at: &str,
        message: String,
    ) {
        self.findings.push(Finding {
            severity,
            code,
            at: at.to_string(),
            section,
            message,
            risk: self.risk,
        });
    }
}
