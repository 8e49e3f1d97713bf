//! Which spreadsheet column holds which register field: the header names
//! risk registers commonly use, `--map "Column=field"` overrides, and the
//! choice of the header row.

use std::collections::HashMap;

use super::values::norm_words;

/// A register field a column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Id,
    Title,
    Asset,
    AssetKind,
    AssetOwner,
    Threat,
    Vulnerability,
    Likelihood,
    Impact,
    Treatment,
    Controls,
    Owner,
    Reviewed,
    Due,
    /// The asset's id (`A-01`), beside its name: lets `import --into`
    /// match a row to an asset of the register.
    AssetId,
    /// The threat's id (`T-01`), as [`Field::AssetId`].
    ThreatId,
    /// The properties a risk is about, in one cell (`C, A`).
    Cia,
    /// One column per property, yes or no: a sheet may keep C/I/A as
    /// three columns of crosses instead of one of names.
    Confidentiality,
    Integrity,
    Availability,
}

impl Field {
    pub const ALL: [Field; 20] = [
        Field::Id,
        Field::Title,
        Field::Asset,
        Field::AssetKind,
        Field::AssetOwner,
        Field::Threat,
        Field::Vulnerability,
        Field::Likelihood,
        Field::Impact,
        Field::Treatment,
        Field::Controls,
        Field::Owner,
        Field::Reviewed,
        Field::Due,
        Field::AssetId,
        Field::ThreatId,
        Field::Cia,
        Field::Confidentiality,
        Field::Integrity,
        Field::Availability,
    ];

    /// The name used in `--map` and in the report.
    pub fn name(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Title => "title",
            Field::Asset => "asset",
            Field::AssetKind => "asset_kind",
            Field::AssetOwner => "asset_owner",
            Field::Threat => "threat",
            Field::Vulnerability => "vulnerability",
            Field::Likelihood => "likelihood",
            Field::Impact => "impact",
            Field::Treatment => "treatment",
            Field::Controls => "controls",
            Field::Owner => "owner",
            Field::Reviewed => "reviewed",
            Field::Due => "due",
            Field::AssetId => "asset_id",
            Field::ThreatId => "threat_id",
            Field::Cia => "cia",
            Field::Confidentiality => "confidentiality",
            Field::Integrity => "integrity",
            Field::Availability => "availability",
        }
    }

    pub(crate) fn from_name(s: &str) -> Option<Field> {
        let n = s.trim().to_lowercase().replace(['-', ' '], "_");
        Field::ALL.into_iter().find(|f| f.name() == n)
    }

    /// Header names (normalised: lower case, words only) in order of
    /// preference: when two columns could fill a field, the one whose name
    /// comes first here wins.
    pub fn headers(self) -> &'static [&'static str] {
        match self {
            Field::Id => &[
                "risk id",
                "id",
                "risk ref",
                "ref",
                "reference",
                "risk reference",
                "risk no",
                "risk number",
                "risk nr",
                "no",
                "nr",
            ],
            Field::Title => &[
                "title",
                "risk title",
                "risk name",
                "name",
                "risk",
                "risk description",
                "description",
                "risk scenario",
                "scenario",
                "risk statement",
            ],
            Field::Asset => &[
                "asset name",
                "asset",
                "assets",
                "information asset",
                "affected asset",
                "asset group",
            ],
            Field::AssetKind => &["asset kind", "asset type", "asset category", "asset class"],
            Field::AssetOwner => &["asset owner"],
            Field::Threat => &[
                "threat name",
                "threat",
                "threats",
                "threat source",
                "threat event",
            ],
            Field::Vulnerability => &[
                "vulnerability",
                "vulnerabilities",
                "weakness",
                "weaknesses",
                "vulnerability weakness",
            ],
            Field::Likelihood => &[
                "likelihood",
                "probability",
                "inherent likelihood",
                "likelihood rating",
                "likelihood score",
                "probability rating",
                "probability score",
                "likelihood of occurrence",
                "frequency",
            ],
            Field::Impact => &[
                "impact",
                "consequence",
                "consequences",
                "severity",
                "inherent impact",
                "impact rating",
                "impact score",
                "business impact",
                "consequence rating",
            ],
            Field::Treatment => &[
                "treatment",
                "risk treatment",
                "treatment option",
                "treatment decision",
                "treatment strategy",
                "response",
                "risk response",
            ],
            Field::Controls => &[
                "controls",
                "annex a",
                "annex a controls",
                "annex a control",
                "annex a ref",
                "annex a reference",
                "iso 27001 controls",
                "iso 27001 annex a",
                "iso 27001 annex a controls",
                "iso 27001 2022 controls",
                "iso 27001 2013 controls",
                "iso controls",
                "control",
                "control ref",
                "control reference",
                "control references",
                "control id",
                "control ids",
            ],
            Field::Owner => &["risk owner", "owner", "responsible", "accountable"],
            Field::Reviewed => &[
                "review date",
                "last reviewed",
                "reviewed",
                "last review",
                "last review date",
                "date reviewed",
                "reviewed on",
                "assessment date",
                "date assessed",
            ],
            Field::Due => &[
                "due",
                "due date",
                "target date",
                "treatment due",
                "treatment due date",
                "treatment target date",
                "deadline",
                "completion date",
            ],
            Field::AssetId => &["asset id", "asset ref", "asset reference", "asset no"],
            Field::ThreatId => &["threat id", "threat ref", "threat reference", "threat no"],
            // "C/I/A" is "c i a" once normalised; "DIC" is French
            // (disponibilité, intégrité, confidentialité).
            Field::Cia => &[
                "cia",
                "c i a",
                "cia impact",
                "cia properties",
                "cia affected",
                "security objective",
                "security objectives",
                "security property",
                "security properties",
                "protection goal",
                "protection goals",
                "affected property",
                "affected properties",
                "schutzziel",
                "schutzziele",
                "betroffene schutzziele",
                "dic",
                "d i c",
                "critères dic",
                "criteres dic",
            ],
            // The single letters C, I, A are no names here: a lone "I" is
            // the impact in many sheets ("L", "I"). `assign` takes them
            // only as a trio (see `LETTERS`).
            Field::Confidentiality => &[
                "confidentiality",
                "vertraulichkeit",
                "confidentialité",
                "confidentialite",
            ],
            Field::Integrity => &[
                "integrity",
                "integrität",
                "integritaet",
                "intégrité",
                "integrite",
            ],
            Field::Availability => &[
                "availability",
                "verfügbarkeit",
                "verfuegbarkeit",
                "disponibilité",
                "disponibilite",
            ],
        }
    }
}

/// Normalised header: words only, parenthesised notes dropped
/// ("Likelihood (1-5)" → "likelihood").
pub(crate) fn norm_header(h: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in h.trim_start_matches('\u{feff}').chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    norm_words(&out)
}

/// The field a header names by default, with its rank (lower is better).
pub(crate) fn field_of(header: &str) -> Option<(Field, usize)> {
    if header.trim() == "#" {
        return Some((Field::Id, 0));
    }
    let n = norm_header(header);
    if n.is_empty() {
        return None;
    }
    Field::ALL
        .into_iter()
        .find_map(|f| f.headers().iter().position(|h| *h == n).map(|r| (f, r)))
}

/// The per-property C/I/A columns, in C, I, A order.
pub(crate) const FLAGS: [Field; 3] = [
    Field::Confidentiality,
    Field::Integrity,
    Field::Availability,
];

/// The single-letter headers of the per-property columns: `C`, `I`, `A`,
/// or French `C`, `I`, `D` (disponibilité).
const LETTERS: [(Field, &[&str]); 3] = [
    (Field::Confidentiality, &["c"]),
    (Field::Integrity, &["i"]),
    (Field::Availability, &["a", "d"]),
];

/// Columns headed `C`, `I` and `A` (or `D`) are the three properties only
/// when all three are there, none of them claimed by `--map` and no
/// property already named in full: a lone `I` is as often the impact
/// (beside an `L`) and a lone `A` the asset, and reading such a column as a
/// yes/no property would refuse the sheet or, worse, mean something else.
fn take_letters(headers: &[String], roles: &mut [Option<Role>], taken: &mut HashMap<Field, usize>) {
    if FLAGS.iter().any(|f| taken.contains_key(f)) {
        return;
    }
    let found: Vec<(Field, usize)> = LETTERS
        .iter()
        .filter_map(|(field, names)| {
            (0..headers.len())
                .find(|&i| roles[i].is_none() && names.contains(&norm_header(&headers[i]).as_str()))
                .map(|i| (*field, i))
        })
        .collect();
    if found.len() < LETTERS.len() {
        return;
    }
    for (field, i) in found {
        taken.insert(field, i);
        roles[i] = Some(Role::Field {
            field,
            mapped: false,
        });
    }
}

/// A column's role in the import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// Fills a field; `mapped` when `--map` said so.
    Field { field: Field, mapped: bool },
    /// Its name is a field's, but another column fills that field.
    Duplicate { field: Field, winner: usize },
    /// `--map "Column=ignore"`.
    Dropped,
    /// No field has this name.
    Ignored,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// 0-based index into the record.
    pub index: usize,
    pub header: String,
    pub role: Role,
}

/// A parsed `--map` option: the column (by name or 1-based number) and the
/// field, `None` for `ignore`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MapRule {
    pub column: String,
    pub field: Option<Field>,
}

pub(crate) fn parse_map(s: &str) -> Result<MapRule, String> {
    let Some((col, field)) = s.rsplit_once('=') else {
        return Err(format!(
            "--map {s:?}: expected \"Column name=field\", e.g. \"Risk Description=title\""
        ));
    };
    let col = col.trim();
    if col.is_empty() {
        return Err(format!("--map {s:?}: the column name is empty"));
    }
    let f = field.trim();
    let field = if ["ignore", "skip", "none", "-"].contains(&f.to_lowercase().as_str()) {
        None
    } else {
        Some(Field::from_name(f).ok_or_else(|| {
            let names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
            format!(
                "--map {s:?}: unknown field {f:?}; fields are {} (or ignore)",
                names.join(", ")
            )
        })?)
    };
    Ok(MapRule {
        column: col.to_string(),
        field,
    })
}

/// Which header cell a rule names: the same text (case and surrounding
/// spaces aside), else the same normalised words, else a 1-based number.
fn rule_column(rule: &MapRule, headers: &[String]) -> Option<usize> {
    let want = rule.column.trim().to_lowercase();
    headers
        .iter()
        .position(|h| h.trim().to_lowercase() == want)
        .or_else(|| {
            let n = norm_header(&rule.column);
            (!n.is_empty())
                .then(|| headers.iter().position(|h| norm_header(h) == n))
                .flatten()
        })
        .or_else(|| {
            rule.column
                .parse::<usize>()
                .ok()
                .filter(|&k| k >= 1 && k <= headers.len())
                .map(|k| k - 1)
        })
}

/// How header-like a row is: cells naming a field or a mapped column.
pub(crate) fn header_score(cells: &[String], rules: &[MapRule]) -> usize {
    let by_name = cells.iter().filter(|c| field_of(c).is_some()).count();
    let by_rule = rules
        .iter()
        .filter(|r| rule_column(r, cells).is_some() && r.column.parse::<usize>().is_err())
        .count();
    by_name + by_rule
}

/// Assigns roles to the header's columns.
pub(crate) fn assign(headers: &[String], rules: &[MapRule]) -> Result<Vec<Column>, String> {
    let mut roles: Vec<Option<Role>> = vec![None; headers.len()];
    let mut taken: HashMap<Field, usize> = HashMap::new();
    for rule in rules {
        let Some(i) = rule_column(rule, headers) else {
            let names: Vec<String> = headers.iter().map(|h| format!("{h:?}")).collect();
            return Err(format!(
                "--map: no column {:?} in the header (columns: {})",
                rule.column,
                names.join(", ")
            ));
        };
        match rule.field {
            Some(field) => {
                if let Some(&other) = taken.get(&field) {
                    return Err(format!(
                        "--map: both {:?} and {:?} are mapped to {}",
                        headers[other],
                        headers[i],
                        field.name()
                    ));
                }
                taken.insert(field, i);
                roles[i] = Some(Role::Field {
                    field,
                    mapped: true,
                });
            }
            None => roles[i] = Some(Role::Dropped),
        }
    }
    // Automatic: for each field, the free column with the best-ranked name
    // (leftmost on a tie).
    let named: Vec<Option<(Field, usize)>> = headers.iter().map(|h| field_of(h)).collect();
    for field in Field::ALL {
        if taken.contains_key(&field) {
            continue;
        }
        let best = named
            .iter()
            .enumerate()
            .filter(|(i, n)| roles[*i].is_none() && n.is_some_and(|(f, _)| f == field))
            .min_by_key(|(i, n)| (n.map_or(usize::MAX, |(_, r)| r), *i))
            .map(|(i, _)| i);
        if let Some(i) = best {
            taken.insert(field, i);
            roles[i] = Some(Role::Field {
                field,
                mapped: false,
            });
        }
    }
    // "Asset" beside "Asset name" (as `riskbench risks --format csv`
    // writes them) is the asset's reference: its id. The same for threats.
    for (name, id, plain, full) in [
        (Field::Asset, Field::AssetId, "asset", "asset name"),
        (Field::Threat, Field::ThreatId, "threat", "threat name"),
    ] {
        let named_by_full = taken
            .get(&name)
            .is_some_and(|&w| norm_header(&headers[w]) == full);
        if !named_by_full || taken.contains_key(&id) {
            continue;
        }
        if let Some(i) =
            (0..headers.len()).find(|&i| roles[i].is_none() && norm_header(&headers[i]) == plain)
        {
            taken.insert(id, i);
            roles[i] = Some(Role::Field {
                field: id,
                mapped: false,
            });
        }
    }
    take_letters(headers, &mut roles, &mut taken);
    // One C/I/A column says all three: per-property columns beside it are
    // not used (unless `--map` names them, then they correct it).
    if let Some(&winner) = taken.get(&Field::Cia) {
        for field in FLAGS {
            if let Some(&i) = taken.get(&field)
                && roles[i]
                    == Some(Role::Field {
                        field,
                        mapped: false,
                    })
            {
                taken.remove(&field);
                roles[i] = Some(Role::Duplicate { field, winner });
            }
        }
    }
    Ok(headers
        .iter()
        .enumerate()
        .map(|(i, h)| Column {
            index: i,
            header: h.clone(),
            role: roles[i].clone().unwrap_or_else(|| match named[i] {
                Some((field, _)) => Role::Duplicate {
                    field,
                    winner: taken.get(&field).copied().unwrap_or(i),
                },
                None => Role::Ignored,
            }),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn common_headers() {
        assert_eq!(field_of("Risk ID").unwrap().0, Field::Id);
        assert_eq!(field_of("Likelihood (1-5)").unwrap().0, Field::Likelihood);
        assert_eq!(field_of("ISO 27001 controls").unwrap().0, Field::Controls);
        assert_eq!(field_of("Annex A").unwrap().0, Field::Controls);
        assert_eq!(field_of("risk_owner").unwrap().0, Field::Owner);
        assert_eq!(field_of("Last reviewed").unwrap().0, Field::Reviewed);
        assert_eq!(field_of("Target date").unwrap().0, Field::Due);
        assert!(field_of("Comments").is_none());
        assert_eq!(field_of("#").unwrap().0, Field::Id);
    }

    #[test]
    fn best_ranked_name_wins() {
        // The short "Risk" name is the title; the long description is
        // reported as not used.
        let cols = assign(&h(&["Description", "Risk", "Asset", "asset_name"]), &[]).unwrap();
        assert_eq!(
            cols[1].role,
            Role::Field {
                field: Field::Title,
                mapped: false
            }
        );
        assert_eq!(
            cols[0].role,
            Role::Duplicate {
                field: Field::Title,
                winner: 1
            }
        );
        assert_eq!(
            cols[3].role,
            Role::Field {
                field: Field::Asset,
                mapped: false
            }
        );
    }

    #[test]
    fn asset_beside_asset_name_is_the_asset_id() {
        // `riskbench risks --format csv` writes ids as "asset", names as
        // "asset_name"; the workbook writes "Asset ID" and "Asset".
        let cols = assign(
            &h(&["id", "asset", "threat", "asset_name", "threat_name"]),
            &[],
        )
        .unwrap();
        let role = |i: usize| match cols[i].role {
            Role::Field { field, .. } => Some(field),
            _ => None,
        };
        assert_eq!(role(1), Some(Field::AssetId));
        assert_eq!(role(2), Some(Field::ThreatId));
        assert_eq!(role(3), Some(Field::Asset));
        assert_eq!(role(4), Some(Field::Threat));
        let cols = assign(&h(&["Asset ID", "Asset", "Threat"]), &[]).unwrap();
        assert_eq!(
            cols[0].role,
            Role::Field {
                field: Field::AssetId,
                mapped: false
            }
        );
        // A lone "Asset" column is the asset's name.
        let cols = assign(&h(&["Asset", "Risk"]), &[]).unwrap();
        assert_eq!(
            cols[0].role,
            Role::Field {
                field: Field::Asset,
                mapped: false
            }
        );
    }

    #[test]
    fn cia_columns() {
        let field = |cols: &[Column], i: usize| match cols[i].role {
            Role::Field { field, .. } => Some(field),
            _ => None,
        };
        assert_eq!(field_of("C/I/A").unwrap().0, Field::Cia);
        assert_eq!(field_of("Schutzziele").unwrap().0, Field::Cia);
        assert_eq!(field_of("Disponibilité").unwrap().0, Field::Availability);
        // The letters only as a trio (French D for availability).
        let cols = assign(&h(&["Risk", "C", "I", "D"]), &[]).unwrap();
        assert_eq!(field(&cols, 2), Some(Field::Integrity));
        assert_eq!(field(&cols, 3), Some(Field::Availability));
        let cols = assign(&h(&["Risk", "L", "I"]), &[]).unwrap();
        assert_eq!(cols[2].role, Role::Ignored);
        // One C/I/A column: the per-property columns beside it not used.
        let cols = assign(&h(&["CIA", "Integrity"]), &[]).unwrap();
        assert_eq!(
            cols[1].role,
            Role::Duplicate {
                field: Field::Integrity,
                winner: 0
            }
        );
    }

    #[test]
    fn map_overrides() {
        let rules = vec![
            parse_map("Scenario text=title").unwrap(),
            parse_map("Risk=ignore").unwrap(),
        ];
        let cols = assign(&h(&["Risk", "Scenario text"]), &rules).unwrap();
        assert_eq!(cols[0].role, Role::Dropped);
        assert_eq!(
            cols[1].role,
            Role::Field {
                field: Field::Title,
                mapped: true
            }
        );
        assert!(parse_map("x=colour").is_err());
        assert!(assign(&h(&["a"]), &[parse_map("b=title").unwrap()]).is_err());
    }
}
