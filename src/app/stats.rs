//! Figures for the dashboard, computed once per change rather than per
//! frame: heat maps, counts and the treatment mix.

use crate::domain::{Analysis, Register, Treatment};

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
            s.in_scope += 1;
            let cell = |m: &mut Vec<Vec<usize>>, l: u32, i: u32| {
                if let Some(c) = m
                    .get_mut(l as usize - 1)
                    .and_then(|row| row.get_mut(i as usize - 1))
                {
                    *c += 1;
                }
            };
            cell(&mut s.inherent, e.inherent.likelihood, e.inherent.impact);
            cell(&mut s.residual, e.residual.likelihood, e.residual.impact);
            s.above_appetite += usize::from(e.above_appetite);
            s.total_inherent += u64::from(e.inherent.score);
            s.total_residual += u64::from(e.residual.score);
            s.overdue += usize::from(e.overdue);
            if r.acceptance
                .as_ref()
                .is_some_and(|a| a.until < analysis.eval.today)
            {
                s.expired_acceptances += 1;
            }
            let t = Treatment::ALL
                .iter()
                .position(|t| *t == r.treatment)
                .unwrap_or(0);
            s.treatments[t] += 1;
        }
        s.out_of_scope = reg.risks.len() - s.in_scope;
        s.errors = analysis.errors().count();
        s.warnings = analysis.warnings().count();
        s
    }
}
