//! The rows as a register: entities with generated ids.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::domain::{
    Asset, AssetKind, HistoryEntry, Id, Register, Risk, SCHEMA_VERSION, Threat, Treatment,
};

use super::columns::Field;
use super::report::{Report, capped, line_list};
use super::{ImportOptions, Row, standard_method, values};

/// Entities with generated ids, risk ids for rows without one, and the
/// register itself.
pub(super) fn build_register(
    rows: Vec<Row>,
    used: HashSet<String>,
    opts: &ImportOptions,
    report: &mut Report,
) -> Register {
    const NO_ASSET: &str = "Unspecified asset";
    const NO_THREAT: &str = "Unspecified threat";
    let mut assets: Vec<Asset> = Vec::new();
    let mut asset_index: HashMap<String, usize> = HashMap::new();
    let mut asset_kind_set: Vec<bool> = Vec::new();
    let mut asset_first_line: Vec<usize> = Vec::new();
    let mut threats: Vec<Threat> = Vec::new();
    let mut threat_index: HashMap<String, usize> = HashMap::new();
    let mut merged_names: Vec<String> = Vec::new();
    let mut kinds_read: BTreeMap<String, (String, AssetKind)> = BTreeMap::new();
    let mut kind_conflicts: Vec<String> = Vec::new();
    let mut no_asset: Vec<usize> = Vec::new();
    let mut no_threat: Vec<usize> = Vec::new();
    let mut generated: Vec<(usize, String)> = Vec::new();
    let mut next_id = 1usize;
    let width = if rows.len() > 999 { 4 } else { 3 };
    let mut risks = Vec::with_capacity(rows.len());
    for row in rows {
        let asset_name = row.asset.clone().unwrap_or_else(|| {
            no_asset.push(row.line);
            NO_ASSET.into()
        });
        let key = asset_name.to_lowercase();
        let ai = match asset_index.get(&key) {
            Some(&i) => {
                if assets[i].name != asset_name {
                    merged_names.push(format!(
                        "asset {asset_name:?} on line {} is {:?} (line {}): names compared ignoring case",
                        row.line, assets[i].name, asset_first_line[i]
                    ));
                }
                i
            }
            None => {
                assets.push(Asset {
                    id: format!("A-{:02}", assets.len() + 1).into(),
                    name: asset_name.clone(),
                    kind: AssetKind::Information,
                    owner: String::new(),
                    factor: None,
                });
                asset_kind_set.push(false);
                asset_first_line.push(row.line);
                asset_index.insert(key, assets.len() - 1);
                assets.len() - 1
            }
        };
        if let Some((kind, written)) = &row.asset_kind {
            if !asset_kind_set[ai] {
                assets[ai].kind = *kind;
                asset_kind_set[ai] = true;
                kinds_read
                    .entry(values::norm_words(written))
                    .or_insert_with(|| (written.clone(), *kind));
            } else if assets[ai].kind != *kind {
                kind_conflicts.push(format!(
                    "asset {:?}: kind {written:?} on line {} differs from {} on line {}; kept {}",
                    assets[ai].name,
                    row.line,
                    assets[ai].kind.as_str(),
                    asset_first_line[ai],
                    assets[ai].kind.as_str()
                ));
            }
        }
        if assets[ai].owner.is_empty() && !row.asset_owner.is_empty() {
            assets[ai].owner = row.asset_owner.clone();
        }
        let threat_name = row.threat.clone().unwrap_or_else(|| {
            no_threat.push(row.line);
            NO_THREAT.into()
        });
        let key = threat_name.to_lowercase();
        let ti = match threat_index.get(&key) {
            Some(&i) => {
                if threats[i].name != threat_name {
                    merged_names.push(format!(
                        "threat {threat_name:?} on line {} is {:?}: names compared ignoring case",
                        row.line, threats[i].name
                    ));
                }
                i
            }
            None => {
                threats.push(Threat {
                    source: String::new(),
                    id: format!("T-{:02}", threats.len() + 1).into(),
                    name: threat_name,
                    shift: 0,
                });
                threat_index.insert(key, threats.len() - 1);
                threats.len() - 1
            }
        };
        let id = match row.id {
            Some(id) => id,
            None => loop {
                let candidate = format!("R-{next_id:0width$}");
                next_id += 1;
                if !used.contains(&candidate) {
                    generated.push((row.line, candidate.clone()));
                    break candidate;
                }
            },
        };
        risks.push(Risk {
            cia: row.cia,
            notes: Vec::new(),
            id: id.into(),
            title: row.title,
            asset: assets[ai].id.clone(),
            threat: threats[ti].id.clone(),
            vulnerability: row.vulnerability,
            likelihood: row.likelihood,
            impact: row.impact,
            treatment: row.treatment.unwrap_or(Treatment::Modify),
            controls: row.controls.iter().map(Id::from).collect(),
            owner: row.owner,
            reviewed: row.reviewed,
            due: row.due,
            residual: None,
            acceptance: None,
            factor: None,
        });
    }

    let has = [report.has(Field::Asset), report.has(Field::Threat)];
    let a = &mut report.assumptions;
    if !generated.is_empty() {
        let list: Vec<String> = generated
            .iter()
            .map(|(l, id)| format!("{id} (line {l})"))
            .collect();
        a.push(format!("risk ids generated: {}", capped(&list)));
    }
    a.push(format!(
        "assets and threats get ids in order of first appearance: {} … and {} …",
        assets
            .first()
            .map_or("none".into(), |x| format!("{} = {:?}", x.id, x.name)),
        threats
            .first()
            .map_or("none".into(), |x| format!("{} = {:?}", x.id, x.name)),
    ));
    a.extend(merged_names);
    for (field, has_column, missing, placeholder) in [
        (Field::Asset, has[0], &no_asset, NO_ASSET),
        (Field::Threat, has[1], &no_threat, NO_THREAT),
    ] {
        let name = field.name();
        if missing.is_empty() {
            continue;
        }
        if has_column {
            a.push(format!(
                "no {name} on {} → {name} {placeholder:?}",
                line_list(missing)
            ));
        } else {
            a.push(format!(
                "no {name} column: every risk gets the {name} {placeholder:?}"
            ));
        }
    }
    for (written, kind) in kinds_read.values() {
        a.push(format!("asset kind {written:?} → {}", kind.as_str()));
    }
    a.extend(kind_conflicts);
    let defaulted = asset_kind_set.iter().filter(|s| !**s).count();
    if defaulted > 0 {
        a.push(format!(
            "asset kind not given for {} of {} assets → Information",
            defaulted,
            assets.len()
        ));
    }
    a.push(
        "method: 5 × 5 (Rare … Almost certain × Negligible … Severe), levels Low ≤4, Medium ≤9, High ≤16, Critical ≤25, appetite 9"
            .into(),
    );

    let distinct: HashSet<&str> = risks
        .iter()
        .flat_map(|r| r.controls.iter().map(Id::as_str))
        .collect();
    report.controls = distinct.len();
    report.links = risks.iter().map(|r| r.controls.len()).sum();
    report.risks = risks.len();
    report.assets = assets.len();
    report.threats = threats.len();

    let name = opts.name.clone().unwrap_or_else(|| {
        std::path::Path::new(&opts.source)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "Imported register".into())
    });
    let source_name = std::path::Path::new(&opts.source)
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| opts.source.clone());
    Register {
        schema: SCHEMA_VERSION,
        name,
        scope: String::new(),
        method: standard_method(),
        factors: Vec::new(),
        assets,
        threats,
        history: vec![HistoryEntry {
            on: opts.today,
            by: "riskbench import".into(),
            summary: format!("Imported {} risks from {source_name}", risks.len()),
        }],
        risks,
        controls: Vec::new(),
        decisions: Vec::new(),
        own_controls: Vec::new(),
        actions: Vec::new(),
        plan_approval: None,
        conflicts: Vec::new(),
        baselines: Vec::new(),
    }
}
