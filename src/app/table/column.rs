//! The columns of the views' tables, one enum per table (after bottom's
//! `ProcColumn`): each column carries its header, how wide it is drawn,
//! how it sorts and in which direction it starts. Its cell text is made
//! by [`super::Ctx::cell`] with a match on the same enum, so a table
//! cannot grow a header without a cell, and no code names a column by its
//! position.
//!
//! [`TableState::sort`](super::TableState::sort) stays the position of the
//! sorted column in [`View::column_list`] (the position is what cycles with
//! `s`); [`View::column`] turns it into a column.

use super::View;

/// How wide a column is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    /// Fitted to the header and the visible cells, within bounds.
    Auto { min: usize, max: usize },
    /// Shares the space left over, by weight, never below `min`.
    Flex { min: usize, weight: usize },
}

/// How a column is laid out in one view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub width: Width,
    /// Lower is more important; the least important columns are dropped
    /// first when the screen is narrow.
    pub priority: u8,
}

const fn auto(min: usize, max: usize, priority: u8) -> Layout {
    Layout {
        width: Width::Auto { min, max },
        priority,
    }
}

const fn flex(min: usize, weight: usize, priority: u8) -> Layout {
    Layout {
        width: Width::Flex { min, weight },
        priority,
    }
}

/// How rows compare by a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SortKey {
    /// The inherent score (score, then likelihood); out of scope first.
    Inherent,
    /// The residual score, likewise.
    Residual,
    /// The target score, likewise.
    Target,
    /// The next review date; never reviewed first.
    NextReview,
    /// The place in the review queue.
    QueueRank,
    /// The items' natural order: catalog order of control ids (5.2 <
    /// 5.10), the Changes view's sections.
    ItemOrder,
    /// Errors before warnings, each code's findings together.
    Severity,
    /// The number the cell starts with, else as text.
    Number,
    /// The cell text, ignoring case.
    Text,
    /// An action's field itself (status in plan order, dates, numbers),
    /// read without building cell text: a plan may have 20,000 actions.
    Action,
    /// A control's newest evidence by age; missing evidence that `check`
    /// asks for above the oldest (see `Ctx::evidence_rank`).
    Evidence,
}

/// A column of the Risks table (the dashboard shows some of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RiskColumn {
    Id,
    Title,
    Asset,
    Threat,
    Inherent,
    Residual,
    Target,
    Level,
    Treatment,
    Owner,
    NextReview,
    Accepted,
    /// Which of confidentiality, integrity and availability the risk is
    /// about ("C·A").
    Cia,
}

/// A column of the Assets table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssetColumn {
    Id,
    Name,
    Kind,
    Owner,
    Factor,
    Scope,
    Risks,
}

/// A column of the Threats table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThreatColumn {
    Id,
    Name,
    Shift,
    Risks,
    /// Where a library threat came from (`BSI G 0.23`).
    Source,
}

/// A column of the Controls table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ControlColumn {
    Id,
    Title,
    Type,
    Status,
    Effectiveness,
    Owner,
    Risks,
    Linked,
    /// The newest evidence's age.
    Evidence,
}

/// A column of the SoA table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SoaColumn {
    Id,
    Title,
    Applicable,
    Status,
    Justification,
    /// The newest evidence's age, as in the Controls table.
    Evidence,
}

/// A column of the Environment (factors) table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactorColumn {
    Factor,
    On,
    Label,
    Requires,
    Scope,
}

/// A column of the Changes table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeColumn {
    Kind,
    Item,
    Change,
}

/// A column of the Findings table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingColumn {
    Severity,
    Code,
    Item,
    Message,
}

/// A column of the Plan table (the treatment plan's actions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanColumn {
    Id,
    Title,
    Status,
    Owner,
    Due,
    Risks,
    Controls,
    Effort,
    Cost,
}

/// A column of the review queue's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueColumn {
    /// The place in the queue (1 = first).
    Rank,
    Id,
    Title,
    /// Why the risk is where it is ("review overdue (due …)").
    Reason,
}

/// A column of any view's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Risk(RiskColumn),
    Asset(AssetColumn),
    Threat(ThreatColumn),
    Control(ControlColumn),
    Soa(SoaColumn),
    Factor(FactorColumn),
    Change(ChangeColumn),
    Finding(FindingColumn),
    Plan(PlanColumn),
    Queue(QueueColumn),
}

impl Column {
    /// The header text.
    pub const fn header(self) -> &'static str {
        use Column as C;
        match self {
            C::Risk(c) => match c {
                RiskColumn::Id => "ID",
                RiskColumn::Title => "Title",
                RiskColumn::Asset => "Asset",
                RiskColumn::Threat => "Threat",
                RiskColumn::Inherent => "Inherent",
                RiskColumn::Residual => "Residual",
                RiskColumn::Target => "Target",
                RiskColumn::Level => "Level",
                RiskColumn::Treatment => "Treatment",
                RiskColumn::Owner => "Owner",
                RiskColumn::NextReview => "Next review",
                RiskColumn::Accepted => "Accepted",
                RiskColumn::Cia => "CIA",
            },
            C::Asset(c) => match c {
                AssetColumn::Id => "ID",
                AssetColumn::Name => "Name",
                AssetColumn::Kind => "Kind",
                AssetColumn::Owner => "Owner",
                AssetColumn::Factor => "Factor",
                AssetColumn::Scope => "Scope",
                AssetColumn::Risks => "Risks",
            },
            C::Threat(c) => match c {
                ThreatColumn::Id => "ID",
                ThreatColumn::Name => "Name",
                ThreatColumn::Shift => "Shift",
                ThreatColumn::Risks => "Risks",
                ThreatColumn::Source => "Source",
            },
            C::Control(c) => match c {
                ControlColumn::Id => "ID",
                ControlColumn::Title => "Title",
                ControlColumn::Type => "Type",
                ControlColumn::Status => "Status",
                ControlColumn::Effectiveness => "Eff.",
                ControlColumn::Owner => "Owner",
                ControlColumn::Risks => "Risks",
                ControlColumn::Linked => "Linked",
                ControlColumn::Evidence => "Evidence",
            },
            C::Soa(c) => match c {
                SoaColumn::Id => "ID",
                SoaColumn::Title => "Title",
                SoaColumn::Applicable => "Applicable",
                SoaColumn::Status => "Status",
                SoaColumn::Justification => "Justification",
                SoaColumn::Evidence => "Evidence",
            },
            C::Factor(c) => match c {
                FactorColumn::Factor => "Factor",
                FactorColumn::On => "On",
                FactorColumn::Label => "Label",
                FactorColumn::Requires => "Requires",
                FactorColumn::Scope => "Scope",
            },
            C::Change(c) => match c {
                ChangeColumn::Kind => "Kind",
                ChangeColumn::Item => "Item",
                ChangeColumn::Change => "Change",
            },
            C::Finding(c) => match c {
                FindingColumn::Severity => "Severity",
                FindingColumn::Code => "Code",
                FindingColumn::Item => "Item",
                FindingColumn::Message => "Message",
            },
            C::Plan(c) => match c {
                PlanColumn::Id => "ID",
                PlanColumn::Title => "Title",
                PlanColumn::Status => "Status",
                PlanColumn::Owner => "Owner",
                PlanColumn::Due => "Due",
                PlanColumn::Risks => "Risks",
                PlanColumn::Controls => "Controls",
                PlanColumn::Effort => "Effort",
                PlanColumn::Cost => "Cost",
            },
            C::Queue(c) => match c {
                QueueColumn::Rank => "#",
                QueueColumn::Id => "ID",
                QueueColumn::Title => "Title",
                QueueColumn::Reason => "Reason",
            },
        }
    }

    /// The direction a column sorts in when first chosen: scores, levels
    /// and counts highest first; ids, text and dates (soonest first) A→Z.
    pub fn natural_descending(self) -> bool {
        use Column as C;
        matches!(
            self,
            C::Risk(
                RiskColumn::Inherent
                    | RiskColumn::Residual
                    | RiskColumn::Target
                    | RiskColumn::Level
            ) | C::Asset(AssetColumn::Risks)
                | C::Threat(ThreatColumn::Shift | ThreatColumn::Risks)
                | C::Control(
                    ControlColumn::Effectiveness | ControlColumn::Risks | ControlColumn::Linked
                )
                | C::Plan(PlanColumn::Effort | PlanColumn::Cost)
                | C::Control(ControlColumn::Evidence)
                | C::Soa(SoaColumn::Evidence)
        )
    }

    /// How rows compare by this column.
    pub(crate) fn sort_key(self) -> SortKey {
        use Column as C;
        match self {
            C::Risk(RiskColumn::Inherent) => SortKey::Inherent,
            C::Risk(RiskColumn::Residual | RiskColumn::Level) => SortKey::Residual,
            C::Risk(RiskColumn::Target) => SortKey::Target,
            C::Risk(RiskColumn::NextReview) => SortKey::NextReview,
            C::Control(ControlColumn::Id)
            | C::Soa(SoaColumn::Id)
            | C::Change(ChangeColumn::Kind) => SortKey::ItemOrder,
            C::Finding(FindingColumn::Severity | FindingColumn::Code) => SortKey::Severity,
            C::Asset(AssetColumn::Risks)
            | C::Threat(ThreatColumn::Shift | ThreatColumn::Risks)
            | C::Control(ControlColumn::Effectiveness | ControlColumn::Risks) => SortKey::Number,
            C::Plan(_) => SortKey::Action,
            C::Queue(QueueColumn::Rank) => SortKey::QueueRank,
            C::Control(ControlColumn::Evidence) | C::Soa(SoaColumn::Evidence) => SortKey::Evidence,
            _ => SortKey::Text,
        }
    }

    /// How wide the column is drawn in `view` (the dashboard's short risk
    /// list gives the title less room than the Risks view).
    pub fn layout(self, view: View) -> Layout {
        use Column as C;
        match self {
            C::Risk(c) if view == View::Dashboard => match c {
                RiskColumn::Title => flex(16, 3, 0),
                RiskColumn::Owner => flex(8, 1, 2),
                c => Column::Risk(c).layout(View::Risks),
            },
            C::Risk(c) => match c {
                RiskColumn::Id => auto(5, 12, 0),
                RiskColumn::Title => flex(40, 6, 0),
                RiskColumn::Asset => auto(4, 10, 6),
                RiskColumn::Threat => auto(4, 10, 7),
                RiskColumn::Inherent => auto(6, 10, 4),
                RiskColumn::Residual => auto(6, 12, 0),
                RiskColumn::Target => auto(6, 10, 8),
                RiskColumn::Level => auto(4, 12, 1),
                RiskColumn::Treatment => auto(6, 9, 5),
                RiskColumn::Owner => flex(8, 1, 3),
                RiskColumn::NextReview => auto(10, 12, 2),
                RiskColumn::Accepted => auto(3, 8, 5),
                // Shown when there is room: at 120 columns the default
                // layout drops it with the asset (before it).
                RiskColumn::Cia => auto(3, 5, 6),
            },
            C::Asset(c) => match c {
                AssetColumn::Id => auto(4, 10, 0),
                AssetColumn::Name => flex(16, 3, 0),
                AssetColumn::Kind => auto(4, 11, 3),
                AssetColumn::Owner => flex(8, 1, 2),
                AssetColumn::Factor => auto(6, 16, 4),
                AssetColumn::Scope => auto(5, 5, 1),
                AssetColumn::Risks => auto(5, 6, 1),
            },
            C::Threat(c) => match c {
                ThreatColumn::Id => auto(4, 10, 0),
                ThreatColumn::Name => flex(20, 1, 0),
                ThreatColumn::Shift => auto(5, 6, 1),
                ThreatColumn::Risks => auto(5, 6, 1),
                ThreatColumn::Source => auto(6, 28, 2),
            },
            C::Control(c) => match c {
                ControlColumn::Id => auto(4, 5, 0),
                ControlColumn::Title => flex(20, 3, 0),
                // "own PDC" on an own control's row.
                ControlColumn::Type => auto(4, 7, 3),
                ControlColumn::Status => auto(11, 11, 1),
                ControlColumn::Effectiveness => auto(4, 5, 2),
                ControlColumn::Owner => flex(8, 1, 4),
                ControlColumn::Risks => auto(5, 5, 2),
                ControlColumn::Linked => flex(10, 2, 5),
                ControlColumn::Evidence => auto(8, 10, 2),
            },
            C::Soa(c) => match c {
                SoaColumn::Id => auto(4, 5, 0),
                SoaColumn::Title => flex(20, 2, 0),
                SoaColumn::Applicable => auto(10, 16, 0),
                SoaColumn::Status => auto(11, 11, 1),
                SoaColumn::Justification => flex(16, 3, 2),
                SoaColumn::Evidence => auto(8, 10, 1),
            },
            C::Factor(c) => match c {
                FactorColumn::Factor => auto(6, 16, 0),
                FactorColumn::On => auto(5, 5, 0),
                FactorColumn::Label => flex(16, 3, 1),
                FactorColumn::Requires => flex(12, 2, 2),
                FactorColumn::Scope => auto(5, 22, 3),
            },
            C::Change(c) => match c {
                ChangeColumn::Kind => auto(4, 8, 1),
                ChangeColumn::Item => flex(20, 2, 0),
                ChangeColumn::Change => flex(24, 3, 0),
            },
            C::Finding(c) => match c {
                FindingColumn::Severity => auto(7, 8, 1),
                FindingColumn::Code => auto(10, 30, 0),
                FindingColumn::Item => auto(4, 14, 0),
                FindingColumn::Message => flex(20, 1, 0),
            },
            C::Plan(c) => match c {
                PlanColumn::Id => auto(4, 10, 0),
                PlanColumn::Title => flex(24, 4, 0),
                PlanColumn::Status => auto(6, 10, 1),
                PlanColumn::Owner => flex(8, 1, 3),
                PlanColumn::Due => auto(10, 12, 1),
                PlanColumn::Risks => flex(8, 2, 4),
                PlanColumn::Controls => flex(8, 1, 5),
                PlanColumn::Effort => auto(6, 6, 6),
                PlanColumn::Cost => auto(4, 10, 6),
            },
            C::Queue(c) => match c {
                QueueColumn::Rank => auto(2, 7, 0),
                QueueColumn::Id => auto(5, 12, 0),
                QueueColumn::Title => flex(30, 3, 0),
                QueueColumn::Reason => flex(24, 2, 1),
            },
        }
    }
}

// Each view's columns, in order, and their headers.

const RISKS: [Column; 13] = [
    Column::Risk(RiskColumn::Id),
    Column::Risk(RiskColumn::Title),
    Column::Risk(RiskColumn::Asset),
    Column::Risk(RiskColumn::Threat),
    Column::Risk(RiskColumn::Inherent),
    Column::Risk(RiskColumn::Residual),
    Column::Risk(RiskColumn::Target),
    Column::Risk(RiskColumn::Level),
    Column::Risk(RiskColumn::Treatment),
    Column::Risk(RiskColumn::Owner),
    Column::Risk(RiskColumn::NextReview),
    Column::Risk(RiskColumn::Accepted),
    Column::Risk(RiskColumn::Cia),
];
const RISKS_HEADERS: [&str; 13] = headers(RISKS);
const DASHBOARD: [Column; 5] = [
    Column::Risk(RiskColumn::Id),
    Column::Risk(RiskColumn::Title),
    Column::Risk(RiskColumn::Residual),
    Column::Risk(RiskColumn::Level),
    Column::Risk(RiskColumn::Owner),
];
const DASHBOARD_HEADERS: [&str; 5] = headers(DASHBOARD);
const ASSETS: [Column; 7] = [
    Column::Asset(AssetColumn::Id),
    Column::Asset(AssetColumn::Name),
    Column::Asset(AssetColumn::Kind),
    Column::Asset(AssetColumn::Owner),
    Column::Asset(AssetColumn::Factor),
    Column::Asset(AssetColumn::Scope),
    Column::Asset(AssetColumn::Risks),
];
const ASSETS_HEADERS: [&str; 7] = headers(ASSETS);
const THREATS: [Column; 5] = [
    Column::Threat(ThreatColumn::Id),
    Column::Threat(ThreatColumn::Name),
    Column::Threat(ThreatColumn::Shift),
    Column::Threat(ThreatColumn::Risks),
    Column::Threat(ThreatColumn::Source),
];
const THREATS_HEADERS: [&str; 5] = headers(THREATS);
const CONTROLS: [Column; 9] = [
    Column::Control(ControlColumn::Id),
    Column::Control(ControlColumn::Title),
    Column::Control(ControlColumn::Type),
    Column::Control(ControlColumn::Status),
    Column::Control(ControlColumn::Effectiveness),
    Column::Control(ControlColumn::Owner),
    Column::Control(ControlColumn::Risks),
    Column::Control(ControlColumn::Linked),
    Column::Control(ControlColumn::Evidence),
];
const CONTROLS_HEADERS: [&str; 9] = headers(CONTROLS);
const SOA: [Column; 6] = [
    Column::Soa(SoaColumn::Id),
    Column::Soa(SoaColumn::Title),
    Column::Soa(SoaColumn::Applicable),
    Column::Soa(SoaColumn::Status),
    Column::Soa(SoaColumn::Justification),
    Column::Soa(SoaColumn::Evidence),
];
const SOA_HEADERS: [&str; 6] = headers(SOA);
const FACTORS: [Column; 5] = [
    Column::Factor(FactorColumn::Factor),
    Column::Factor(FactorColumn::On),
    Column::Factor(FactorColumn::Label),
    Column::Factor(FactorColumn::Requires),
    Column::Factor(FactorColumn::Scope),
];
const FACTORS_HEADERS: [&str; 5] = headers(FACTORS);
const CHANGES: [Column; 3] = [
    Column::Change(ChangeColumn::Kind),
    Column::Change(ChangeColumn::Item),
    Column::Change(ChangeColumn::Change),
];
const CHANGES_HEADERS: [&str; 3] = headers(CHANGES);
const FINDINGS: [Column; 4] = [
    Column::Finding(FindingColumn::Severity),
    Column::Finding(FindingColumn::Code),
    Column::Finding(FindingColumn::Item),
    Column::Finding(FindingColumn::Message),
];
const FINDINGS_HEADERS: [&str; 4] = headers(FINDINGS);
const PLAN: [Column; 9] = [
    Column::Plan(PlanColumn::Id),
    Column::Plan(PlanColumn::Title),
    Column::Plan(PlanColumn::Status),
    Column::Plan(PlanColumn::Owner),
    Column::Plan(PlanColumn::Due),
    Column::Plan(PlanColumn::Risks),
    Column::Plan(PlanColumn::Controls),
    Column::Plan(PlanColumn::Effort),
    Column::Plan(PlanColumn::Cost),
];
const PLAN_HEADERS: [&str; 9] = headers(PLAN);
const QUEUE: [Column; 4] = [
    Column::Queue(QueueColumn::Rank),
    Column::Queue(QueueColumn::Id),
    Column::Queue(QueueColumn::Title),
    Column::Queue(QueueColumn::Reason),
];
const QUEUE_HEADERS: [&str; 4] = headers(QUEUE);

/// The headers of `columns`, at compile time.
const fn headers<const N: usize>(columns: [Column; N]) -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = columns[i].header();
        i += 1;
    }
    out
}

impl View {
    /// The view's table columns, in order (the dashboard: its top-risk
    /// list).
    pub fn column_list(self) -> &'static [Column] {
        match self {
            View::Dashboard => &DASHBOARD,
            View::Risks => &RISKS,
            View::Assets => &ASSETS,
            View::Threats => &THREATS,
            View::Controls => &CONTROLS,
            View::Soa => &SOA,
            View::Environment => &FACTORS,
            View::Changes => &CHANGES,
            View::Findings => &FINDINGS,
            View::Plan => &PLAN,
            // The focus view shows one risk, not a table: its columns are
            // the Risks table's (sorting there changes nothing it shows).
            View::Focus => &RISKS,
            View::Queue => &QUEUE,
        }
    }

    /// Column headers of the view's table, in [`View::column_list`] order.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            View::Dashboard => &DASHBOARD_HEADERS,
            View::Risks => &RISKS_HEADERS,
            View::Assets => &ASSETS_HEADERS,
            View::Threats => &THREATS_HEADERS,
            View::Controls => &CONTROLS_HEADERS,
            View::Soa => &SOA_HEADERS,
            View::Environment => &FACTORS_HEADERS,
            View::Changes => &CHANGES_HEADERS,
            View::Findings => &FINDINGS_HEADERS,
            View::Plan => &PLAN_HEADERS,
            View::Focus => &RISKS_HEADERS,
            View::Queue => &QUEUE_HEADERS,
        }
    }

    /// The column at `position` (as [`TableState::sort`](super::TableState::sort)
    /// holds it), if the view has one there.
    pub fn column(self, position: usize) -> Option<Column> {
        self.column_list().get(position).copied()
    }

    /// Where `column` sits in the view's table (`None`: not shown here).
    pub fn position_of(self, column: Column) -> Option<usize> {
        self.column_list().iter().position(|c| *c == column)
    }

    /// The direction a column sorts in when first chosen (see
    /// [`Column::natural_descending`]).
    pub fn natural_descending(self, col: usize) -> bool {
        self.column(col).is_some_and(Column::natural_descending)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_unique_within_a_view() {
        for v in View::ALL {
            let mut h = v.columns().to_vec();
            h.sort_unstable();
            h.dedup();
            assert_eq!(h.len(), v.columns().len(), "{v:?}");
        }
    }

    #[test]
    fn the_dashboard_shows_risk_columns() {
        assert!(
            View::Dashboard
                .column_list()
                .iter()
                .all(|c| View::Risks.position_of(*c).is_some())
        );
        assert_eq!(
            View::Risks.position_of(Column::Risk(RiskColumn::Residual)),
            Some(5)
        );
    }
}
