//! Figures for the dashboard, computed once per change rather than per
//! frame: heat maps, counts and the treatment mix.

use chrono::NaiveDate;

use crate::domain::{Analysis, Register, Risk, RiskEval, Treatment};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    /// `inherent[l-1][i-1]`: in-scope risks at likelihood l, impact i.
    pub inherent: Vec<Vec<usize>>,
    pub residual: Vec<Vec<usize>>,
    pub in_scope: usize,
    pub out_of_scope: usize,
    pub above_appetite: usize,
    pub overdue: usize,
    pub expired_acceptances: usize,
    /// Count per treatment, in `Treatment::ALL` order.
    pub treatments: [usize; 4],
    /// Sum of inherent and of current residual scores: what the controls
    /// bought.
    pub total_inherent: u64,
    pub total_residual: u64,
    pub errors: usize,
    pub warnings: usize,
    /// Findings per code, by code (few codes: a list).
    pub by_code: Vec<(&'static str, usize)>,
}

impl Stats {
    pub fn new(reg: &Register, analysis: &Analysis) -> Stats {
        let nl = reg.method.likelihood.len().max(1);
        let ni = reg.method.impact.len().max(1);
        let mut s = Stats {
            inherent: vec![vec![0; ni]; nl],
            residual: vec![vec![0; ni]; nl],
            ..Stats::default()
        };
        for (_, r, e) in analysis.eval.in_scope(reg) {
            s.add_risk(r, Some(e), analysis.eval.today);
        }
        s.out_of_scope = reg.risks.len() - s.in_scope;
        s.count_findings(analysis);
        s
    }

    pub fn count_findings(&mut self, analysis: &Analysis) {
        self.errors = analysis.errors().count();
        self.warnings = analysis.warnings().count();
        self.by_code.clear();
        for f in &analysis.findings {
            match self.by_code.iter_mut().find(|(c, _)| *c == f.code) {
                Some((_, n)) => *n += 1,
                None => self.by_code.push((f.code, 1)),
            }
        }
        // Findings are reordered by incremental updates; the counts are not.
        self.by_code.sort_unstable();
    }

    /// How many findings have `code`.
    pub fn findings_with(&self, code: &str) -> usize {
        self.by_code
            .iter()
            .find(|(c, _)| *c == code)
            .map_or(0, |&(_, n)| n)
    }

    /// Adds (`sign` 1) or removes (`sign` −1) one risk's contribution.
    fn apply(&mut self, r: &Risk, e: Option<&RiskEval>, today: NaiveDate, sign: i64) {
        let Some(e) = e else {
            return;
        };
        let bump = |n: &mut usize| *n = (*n as i64 + sign).max(0) as usize;
        let bump64 = |n: &mut u64, by: u32| *n = (*n as i64 + sign * i64::from(by)).max(0) as u64;
        for (m, s) in [
            (&mut self.inherent, &e.inherent),
            (&mut self.residual, &e.residual),
        ] {
            if let Some(c) = m
                .get_mut((s.likelihood as usize).wrapping_sub(1))
                .and_then(|row| row.get_mut((s.impact as usize).wrapping_sub(1)))
            {
                bump(c);
            }
        }
        bump(&mut self.in_scope);
        if e.above_appetite {
            bump(&mut self.above_appetite);
        }
        if e.overdue {
            bump(&mut self.overdue);
        }
        if r.acceptance.as_ref().is_some_and(|a| a.until < today) {
            bump(&mut self.expired_acceptances);
        }
        bump64(&mut self.total_inherent, e.inherent.score);
        bump64(&mut self.total_residual, e.residual.score);
        let t = Treatment::ALL
            .iter()
            .position(|t| *t == r.treatment)
            .unwrap_or(0);
        bump(&mut self.treatments[t]);
    }

    /// Counts one in-scope risk (nothing for an out-of-scope one: `None`).
    pub fn add_risk(&mut self, r: &Risk, e: Option<&RiskEval>, today: NaiveDate) {
        self.apply(r, e, today, 1);
    }

    /// Takes one risk's contribution back out.
    pub fn remove_risk(&mut self, r: &Risk, e: Option<&RiskEval>, today: NaiveDate) {
        self.apply(r, e, today, -1);
    }
}
