//! `riskbench catalog [QUERY] [--format text|json]`.

use serde_json::json;

use crate::domain::Catalog;

use super::{CheckFormat, EXIT_FINDINGS, EXIT_OK};

pub fn run(query: Option<&str>, format: CheckFormat) -> Result<i32, i32> {
    let catalog = Catalog::annex_a();
    let hits = catalog.search(query.unwrap_or(""));
    match format {
        CheckFormat::Json => {
            let controls: Vec<_> = hits
                .iter()
                .map(|c| {
                    json!({
                        "id": c.id, "theme": c.theme, "title": c.title,
                        "control_type": c.control_type.names(),
                        "properties": c.properties, "concepts": c.concepts,
                        "capabilities": c.capabilities, "domains": c.domains,
                        "new_in_2022": c.new_in_2022,
                    })
                })
                .collect();
            crate::outln!("{:#}", json!({ "controls": controls }));
        }
        CheckFormat::Text => {
            let rows: Vec<Vec<String>> = hits
                .iter()
                .map(|c| {
                    vec![
                        c.id.to_string(),
                        c.theme.clone(),
                        c.control_type.names().join("|"),
                        if c.new_in_2022 { "new" } else { "" }.to_string(),
                        c.title.clone(),
                    ]
                })
                .collect();
            super::emit(&super::format::text_table(
                &["id", "theme", "type", "2022", "title"],
                &rows,
            ));
        }
    }
    // A query that matches nothing is a finding scripts can test for.
    Ok(if hits.is_empty() {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}
