//! Cell text and row comparison of the views' tables, by [`Column`].

use std::cmp::Ordering;

use super::column::{
    AssetColumn, ChangeColumn, Column, ControlColumn, FactorColumn, FindingColumn, PlanColumn,
    QueueColumn, RiskColumn, SoaColumn, SortKey, ThreatColumn,
};
use super::{Ctx, DISPLAY_LIMIT, View, score_text};
use crate::domain::plan::action_overdue;
use crate::domain::{Catalog, RiskEval, Score, Severity};

impl Ctx<'_> {
    /// A cell's text for drawing: [`Ctx::cell`], except that an SoA
    /// justification listing thousands of risks is cut short (the full text
    /// stays what filtering, sorting and exports use).
    pub fn display_cell(&self, view: View, item: usize, col: usize) -> String {
        if view.column(col) == Some(Column::Soa(SoaColumn::Justification))
            && let Some(e) = self.analysis.soa.entries.get(item)
        {
            return e.justification_within(self.reg, DISPLAY_LIMIT);
        }
        self.cell(view, item, col)
    }

    /// Text of the cell of `item` at column position `col` of `view`.
    pub fn cell(&self, view: View, item: usize, col: usize) -> String {
        match view.column(col) {
            Some(c) => self.cell_of(c, item),
            None => String::new(),
        }
    }

    /// Text of `item`'s cell in `column` (empty for an item that is not
    /// there).
    pub fn cell_of(&self, column: Column, item: usize) -> String {
        match column {
            Column::Risk(c) => self.risk_cell(c, item),
            Column::Asset(c) => self.asset_cell(c, item),
            Column::Threat(c) => self.threat_cell(c, item),
            Column::Control(c) => self.control_cell(c, item),
            Column::Soa(c) => self.soa_cell(c, item),
            Column::Factor(c) => self.factor_cell(c, item),
            Column::Change(c) => self.change_cell(c, item),
            Column::Finding(c) => self.finding_cell(c, item),
            Column::Plan(c) => self.plan_cell(c, item),
            Column::Queue(c) => self.queue_cell(c, item),
        }
    }

    fn queue_cell(&self, c: QueueColumn, item: usize) -> String {
        let Some(r) = self.reg.risks.get(item) else {
            return String::new();
        };
        match c {
            QueueColumn::Rank => self
                .queue
                .rank(item)
                .map_or(String::new(), |p| (p + 1).to_string()),
            QueueColumn::Id => r.id.to_string(),
            QueueColumn::Title => r.title.clone(),
            QueueColumn::Reason => match self.risk_eval(item) {
                Some(ev) => crate::domain::review_queue::reason(self.reg, r, ev, self.today),
                None => "out of scope".into(),
            },
        }
    }

    fn plan_cell(&self, c: PlanColumn, item: usize) -> String {
        let Some(a) = self.reg.actions.get(item) else {
            return String::new();
        };
        let ids = |ids: &[crate::domain::Id]| {
            ids.iter()
                .map(|id| id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        match c {
            PlanColumn::Id => a.id.to_string(),
            PlanColumn::Title => a.title.clone(),
            PlanColumn::Status => a.status.as_str().into(),
            PlanColumn::Owner => a.owner.clone(),
            PlanColumn::Due => match a.due {
                // The same rule as `action-overdue`: due today is not late.
                Some(d) if action_overdue(a, self.analysis.eval.today) => format!("{d} !"),
                Some(d) => d.to_string(),
                None => String::new(),
            },
            PlanColumn::Risks => ids(&a.risks),
            PlanColumn::Controls => ids(&a.controls),
            PlanColumn::Effort => a.effort_days.map(|n| n.to_string()).unwrap_or_default(),
            PlanColumn::Cost => a.cost.map(|n| n.to_string()).unwrap_or_default(),
        }
    }

    /// How actions `a` and `b` compare by a Plan column, from their fields
    /// (status in plan order; no due date, effort or cost first).
    fn action_compare(&self, column: Column, a: usize, b: usize) -> Ordering {
        let (Some(x), Some(y)) = (self.reg.actions.get(a), self.reg.actions.get(b)) else {
            return a.cmp(&b);
        };
        let text = |p: &str, q: &str| p.to_lowercase().cmp(&q.to_lowercase());
        let list = |p: &[crate::domain::Id], q: &[crate::domain::Id]| {
            p.iter()
                .map(|i| i.as_str())
                .cmp(q.iter().map(|i| i.as_str()))
        };
        match column {
            Column::Plan(c) => match c {
                PlanColumn::Id => x.id.as_str().cmp(y.id.as_str()),
                PlanColumn::Title => text(&x.title, &y.title),
                PlanColumn::Status => x.status.cmp(&y.status),
                PlanColumn::Owner => text(&x.owner, &y.owner),
                PlanColumn::Due => x.due.cmp(&y.due),
                PlanColumn::Risks => list(&x.risks, &y.risks),
                PlanColumn::Controls => list(&x.controls, &y.controls),
                PlanColumn::Effort => x.effort_days.cmp(&y.effort_days),
                PlanColumn::Cost => x.cost.cmp(&y.cost),
            },
            _ => a.cmp(&b),
        }
    }

    fn risk_cell(&self, c: RiskColumn, item: usize) -> String {
        let reg = self.reg;
        let Some(r) = reg.risks.get(item) else {
            return String::new();
        };
        let e = self.risk_eval(item);
        match c {
            RiskColumn::Id => r.id.to_string(),
            RiskColumn::Title => r.title.clone(),
            RiskColumn::Asset => r.asset.to_string(),
            RiskColumn::Threat => r.threat.to_string(),
            RiskColumn::Inherent => e.map_or("—".into(), |e| score_text(&e.inherent)),
            RiskColumn::Residual => e.map_or("—".into(), |e| {
                let m = if e.manual { " m" } else { "" };
                format!("{}{m}", score_text(&e.residual))
            }),
            RiskColumn::Target => e.map_or("—".into(), |e| score_text(&e.target)),
            // Out of scope: a short marker (the row is dimmed too),
            // so the column stays as narrow as the level names.
            RiskColumn::Level => e.map_or("○ out".into(), |e| {
                e.residual.level_name(&reg.method).to_string()
            }),
            RiskColumn::Treatment => r.treatment.as_str().into(),
            RiskColumn::Owner => r.owner.clone(),
            RiskColumn::NextReview => match e {
                None => String::new(),
                Some(e) => match e.next_review {
                    Some(d) if e.overdue => format!("{d} !"),
                    Some(d) => d.to_string(),
                    // Reviewed, but the next review falls after
                    // 9999-12-31 (a `date-range` error), not "never".
                    None if e.review_out_of_range => "out of range".into(),
                    None => "never !".into(),
                },
            },
            RiskColumn::Accepted => {
                crate::app::review::AcceptState::of(r, e, self.analysis.eval.today)
                    .map_or("", |a| a.cell())
                    .into()
            }
            RiskColumn::Cia => crate::app::form::flags::cia_text(&r.cia),
        }
    }

    fn asset_cell(&self, c: AssetColumn, item: usize) -> String {
        let Some(a) = self.reg.assets.get(item) else {
            return String::new();
        };
        match c {
            AssetColumn::Id => a.id.to_string(),
            AssetColumn::Name => a.name.clone(),
            AssetColumn::Kind => a.kind.as_str().into(),
            AssetColumn::Owner => a.owner.clone(),
            AssetColumn::Factor => a.factor.as_deref().unwrap_or_default().to_string(),
            AssetColumn::Scope => if self.analysis.eval.lookups.asset_in_scope(item) {
                "in"
            } else {
                "out"
            }
            .into(),
            AssetColumn::Risks => self
                .analysis
                .eval
                .by_asset
                .get(item)
                .map_or(0, Vec::len)
                .to_string(),
        }
    }

    fn threat_cell(&self, c: ThreatColumn, item: usize) -> String {
        let Some(t) = self.reg.threats.get(item) else {
            return String::new();
        };
        match c {
            ThreatColumn::Id => t.id.to_string(),
            ThreatColumn::Name => t.name.clone(),
            ThreatColumn::Shift => format!("{:+}", t.shift),
            ThreatColumn::Risks => self
                .analysis
                .eval
                .by_threat
                .get(item)
                .map_or(0, Vec::len)
                .to_string(),
            ThreatColumn::Source => t.source.clone(),
        }
    }

    fn control_cell(&self, c: ControlColumn, item: usize) -> String {
        let reg = self.reg;
        let Some(info) = super::control_row(reg, item) else {
            return String::new();
        };
        let state = self
            .analysis
            .eval
            .lookups
            .control_state
            .get(info.id)
            .and_then(|&s| reg.controls.get(s));
        let no_risks = Vec::new();
        let linking = (self.analysis.eval.by_control)
            .get(item)
            .unwrap_or(&no_risks);
        match c {
            ControlColumn::Id => info.id.to_string(),
            ControlColumn::Title => info.title.to_string(),
            // An own control is marked in its type: "own PD".
            ControlColumn::Type if info.own => format!("own {}", info.control_type.short()),
            ControlColumn::Type => info.control_type.short(),
            ControlColumn::Status => state.map_or("NotStarted", |s| s.status.as_str()).into(),
            ControlColumn::Effectiveness => state
                .map_or(crate::domain::DEFAULT_EFFECTIVENESS, |s| s.effectiveness)
                .to_string(),
            ControlColumn::Owner => state.map(|s| s.owner.clone()).unwrap_or_default(),
            ControlColumn::Risks => linking.len().to_string(),
            ControlColumn::Linked => {
                let ids: Vec<&str> = linking
                    .iter()
                    .take(6)
                    .map(|&r| reg.risks[r].id.as_str())
                    .collect();
                let more = if linking.len() > 6 { ", …" } else { "" };
                format!("{}{more}", ids.join(", "))
            }
            ControlColumn::Evidence => self.evidence_cell(item),
        }
    }

    fn soa_cell(&self, c: SoaColumn, item: usize) -> String {
        let (Some(info), Some(e)) = (
            Catalog::annex_a().controls().get(item),
            self.analysis.soa.entries.get(item),
        ) else {
            return String::new();
        };
        match c {
            SoaColumn::Id => info.id.to_string(),
            SoaColumn::Title => info.title.clone(),
            SoaColumn::Applicable => {
                let conflict = if e.conflict { " (!)" } else { "" };
                format!("{}{conflict}", e.applicable.as_str())
            }
            SoaColumn::Status => e.status.as_str().into(),
            SoaColumn::Justification => e.justification(self.reg),
            SoaColumn::Evidence => self.evidence_cell(item),
        }
    }

    fn change_cell(&self, c: ChangeColumn, item: usize) -> String {
        let Some(row) = self.changes.rows.get(item) else {
            return String::new();
        };
        let [kind, what, change] = self.changes.cells(row);
        match c {
            ChangeColumn::Kind => kind,
            ChangeColumn::Item => what,
            ChangeColumn::Change => change,
        }
    }

    fn finding_cell(&self, c: FindingColumn, item: usize) -> String {
        let Some(f) = self.analysis.findings.get(item) else {
            return String::new();
        };
        match c {
            FindingColumn::Severity => match f.severity {
                Severity::Error => "error".into(),
                Severity::Warning => "warning".into(),
            },
            FindingColumn::Code => format!("{} ({})", f.code, self.stats.findings_with(f.code)),
            FindingColumn::Item => f.at.clone(),
            FindingColumn::Message => f.message.clone(),
        }
    }

    fn factor_cell(&self, c: FactorColumn, item: usize) -> String {
        let Some(f) = self.reg.factors.get(item) else {
            return String::new();
        };
        match c {
            FactorColumn::Factor => f.id.to_string(),
            FactorColumn::On => if f.on { "on" } else { "off" }.into(),
            FactorColumn::Label => f.label.clone(),
            FactorColumn::Requires => f.requires.join(", "),
            FactorColumn::Scope => match self.factor_scope.get(item) {
                Some(&(0, 0)) | None => String::new(),
                Some(&(a, r)) => format!(
                    "{a} asset{}, {r} risk{}",
                    if a == 1 { "" } else { "s" },
                    if r == 1 { "" } else { "s" }
                ),
            },
        }
    }

    /// How items `a` and `b` compare by `column` (ascending).
    pub(super) fn compare(&self, column: Column, a: usize, b: usize) -> Ordering {
        let num = |s: &str| -> Option<i64> {
            let head: String = s
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '-' || *c == '+')
                .collect();
            head.parse().ok()
        };
        let by_score = |f: fn(&RiskEval) -> &Score| {
            let key = |i| self.risk_eval(i).map(|e| (f(e).score, f(e).likelihood));
            key(a).cmp(&key(b))
        };
        match column.sort_key() {
            SortKey::Inherent => by_score(|e| &e.inherent),
            SortKey::Residual => by_score(|e| &e.residual),
            SortKey::Target => by_score(|e| &e.target),
            SortKey::NextReview => {
                let key = |i| self.risk_eval(i).map(|e| e.next_review);
                key(a).cmp(&key(b))
            }
            SortKey::ItemOrder => a.cmp(&b),
            SortKey::QueueRank => self.queue.rank(a).cmp(&self.queue.rank(b)),
            SortKey::Action => self.action_compare(column, a, b),
            SortKey::Evidence => self.evidence_rank(a).cmp(&self.evidence_rank(b)),
            // Errors before warnings, each code's findings together, in
            // the order `check` reports them.
            SortKey::Severity => {
                let key = |i: usize| self.analysis.findings.get(i).map(|f| (f.severity, f.code));
                key(a).cmp(&key(b))
            }
            key @ (SortKey::Number | SortKey::Text) => {
                let (x, y) = (self.cell_of(column, a), self.cell_of(column, b));
                match (num(&x), num(&y)) {
                    (Some(p), Some(q)) if key == SortKey::Number => p.cmp(&q),
                    _ => x.to_lowercase().cmp(&y.to_lowercase()),
                }
            }
        }
    }
}
