//! Table columns are an enum per table (issue 14, item 3): each column
//! carries its header, cell, width rule and sort, and code names columns,
//! never positions.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

mod common;

use common::northwind_app as app;
use riskbench::app::View;
use riskbench::app::table::{Column, ControlColumn, RiskColumn, ThreatColumn, Width};

#[test]
fn headers_come_from_the_columns_in_order() {
    for view in View::ALL {
        let from_columns: Vec<&str> = view.column_list().iter().map(|c| c.header()).collect();
        assert_eq!(from_columns, view.columns(), "{view:?}");
    }
    assert_eq!(
        View::Risks.position_of(Column::Risk(RiskColumn::Cia)),
        Some(View::Risks.columns().len() - 1)
    );
}

/// The dashboard's list shows risk columns: the same cell text as the
/// Risks view for the same column (once a position map, `[0,1,5,7,9]`).
#[test]
fn dashboard_cells_are_the_risk_columns_cells() {
    let app = app();
    let ctx = app.ctx();
    for (pos, &column) in View::Dashboard.column_list().iter().enumerate() {
        let risks_pos = View::Risks.position_of(column).expect("a Risks column");
        for item in 0..app.doc.register().risks.len() {
            assert_eq!(
                ctx.cell(View::Dashboard, item, pos),
                ctx.cell(View::Risks, item, risks_pos),
                "{column:?} of risk {item}"
            );
            assert_eq!(
                ctx.cell_of(column, item),
                ctx.cell(View::Risks, item, risks_pos)
            );
        }
    }
}

#[test]
fn sorting_by_a_column_uses_its_sort_key_and_natural_direction() {
    let mut app = app();
    app.table_mut(View::Risks)
        .sort_by(View::Risks, Column::Risk(RiskColumn::Inherent));
    app.refresh();
    let t = app.table(View::Risks);
    assert_eq!(
        t.sort_column(View::Risks),
        Column::Risk(RiskColumn::Inherent)
    );
    assert!(t.descending, "scores start highest first");
    let scores: Vec<u32> = t
        .rows
        .iter()
        .map(|&i| {
            app.doc.analysis().eval.risks[i]
                .as_ref()
                .map_or(0, |e| e.inherent.score)
        })
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");

    // Shift sorts as a number, not as text ("+1" < "-1" as text).
    app.table_mut(View::Threats)
        .sort_by(View::Threats, Column::Threat(ThreatColumn::Shift));
    app.refresh();
    let shifts: Vec<i32> = app
        .table(View::Threats)
        .rows
        .iter()
        .map(|&i| app.doc.register().threats[i].shift)
        .collect();
    assert!(shifts.windows(2).all(|w| w[0] >= w[1]), "{shifts:?}");

    // A column the view does not show changes nothing.
    let before = app.table(View::Threats).sort;
    app.table_mut(View::Threats)
        .sort_by(View::Threats, Column::Control(ControlColumn::Linked));
    assert_eq!(app.table(View::Threats).sort, before);
}

#[test]
fn the_dashboard_gives_the_title_less_room_than_the_risks_view() {
    let title = Column::Risk(RiskColumn::Title);
    assert_eq!(
        title.layout(View::Risks).width,
        Width::Flex { min: 40, weight: 6 }
    );
    assert_eq!(
        title.layout(View::Dashboard).width,
        Width::Flex { min: 16, weight: 3 }
    );
    // Elsewhere a risk column is laid out as in the Risks view.
    let id = Column::Risk(RiskColumn::Id);
    assert_eq!(id.layout(View::Dashboard), id.layout(View::Risks));
}
