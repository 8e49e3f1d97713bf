//! Reading the values people put in risk-register spreadsheets: scale
//! numbers and labels, treatment words, dates, control references and asset
//! kinds. Every function says what it assumed, so the import report can list
//! it.

use chrono::{Days, NaiveDate};

use crate::domain::{AssetKind, Treatment};

use super::mapping::{ControlRef, OldControl, classify};

/// Lower case, punctuation as spaces, single spaces: the form labels and
/// header names are compared in.
pub(crate) fn norm_words(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
        }
    }
    out.trim_end().to_string()
}

/// Trims and joins every run of whitespace (line breaks included) into one
/// space. Returns whether a line break was joined.
pub(crate) fn one_line(s: &str) -> (String, bool) {
    let had_break = s.trim().contains(['\n', '\r']);
    (
        s.split_whitespace().collect::<Vec<_>>().join(" "),
        had_break,
    )
}

/// Whether a cell reads as a spreadsheet formula (`=…`, white space before
/// it ignored, as riskbench trims cells). Such a cell is never evaluated.
/// `'=…` (text to a spreadsheet) is not one: callers decide whether to
/// look at the cell before or after [`crate::escape::csv_cell_read`].
pub(crate) fn is_formula(cell: &str) -> bool {
    cell.trim_start().starts_with('=')
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scale {
    Likelihood,
    Impact,
}

impl Scale {
    pub fn name(self) -> &'static str {
        match self {
            Scale::Likelihood => "likelihood",
            Scale::Impact => "impact",
        }
    }

    /// The standard 5-point labels the imported register uses.
    pub fn labels(self) -> [&'static str; 5] {
        match self {
            Scale::Likelihood => ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"],
            Scale::Impact => ["Negligible", "Minor", "Moderate", "Major", "Severe"],
        }
    }

    /// Labels (normalised) and their values: the standard scale first,
    /// then common synonyms.
    fn synonyms(self) -> &'static [(&'static str, u32)] {
        match self {
            Scale::Likelihood => &[
                ("rare", 1),
                ("unlikely", 2),
                ("possible", 3),
                ("likely", 4),
                ("almost certain", 5),
                ("very low", 1),
                ("low", 2),
                ("medium", 3),
                ("high", 4),
                ("very high", 5),
                ("very unlikely", 1),
                ("highly unlikely", 1),
                ("remote", 1),
                ("improbable", 1),
                ("moderate", 3),
                ("possibly", 3),
                ("occasional", 3),
                ("probable", 4),
                ("very likely", 5),
                ("highly likely", 5),
                ("certain", 5),
                ("frequent", 5),
                ("expected", 5),
            ],
            Scale::Impact => &[
                ("negligible", 1),
                ("minor", 2),
                ("moderate", 3),
                ("major", 4),
                ("severe", 5),
                ("very low", 1),
                ("low", 2),
                ("medium", 3),
                ("high", 4),
                ("very high", 5),
                ("insignificant", 1),
                ("minimal", 1),
                ("trivial", 1),
                ("limited", 2),
                ("serious", 4),
                ("catastrophic", 5),
                ("critical", 5),
                ("extreme", 5),
                ("disastrous", 5),
            ],
        }
    }

    fn label_value(self, label: &str) -> Option<u32> {
        let n = norm_words(label);
        self.synonyms()
            .iter()
            .find(|(l, _)| *l == n)
            .map(|&(_, v)| v)
    }
}

/// A scale value: the number and, when the cell gave a label, the label as
/// written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ScaleValue {
    pub value: u32,
    pub label: Option<String>,
}

/// Reads `4`, `4.0`, `Likely`, `4 - Likely`, `Likely (4)`, `High` on a
/// 1..=`max` scale.
pub(crate) fn parse_scale(cell: &str, scale: Scale, max: u32) -> Result<ScaleValue, String> {
    let (t, _) = one_line(cell);
    let name = scale.name();
    if t.is_empty() {
        return Err(format!("{name} is empty"));
    }
    // `-3` is a negative number, not the label-less 3 the dash-splitting
    // below would make of it.
    if t.strip_prefix('-')
        .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
    {
        return Err(format!(
            "{name} {t:?} is negative: outside the scale 1–{max}"
        ));
    }
    let expected = || {
        let labels = scale.labels();
        format!(
            "expected a number 1–{max} or a label ({}; or Very low, Low, Medium, High, Very high)",
            labels.join(", ")
        )
    };
    // Split off one number (digits, optionally ".0"/",0") from the words.
    let mut number: Option<String> = None;
    let mut words = String::new();
    let chars: Vec<char> = t.chars().collect();
    let mut i = 0;
    let mut numbers = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_digit()
                    || ((chars[i] == '.' || chars[i] == ',')
                        && chars.get(i + 1).is_some_and(char::is_ascii_digit)))
            {
                i += 1;
            }
            numbers += 1;
            number = Some(chars[start..i].iter().collect());
        } else {
            words.push(chars[i]);
            i += 1;
        }
    }
    if numbers > 1 {
        return Err(format!("{name} {t:?}: {}", expected()));
    }
    let from_number = match &number {
        Some(n) => {
            let n = n.replace(',', ".");
            match n.parse::<f64>() {
                Ok(v) if v.fract() == 0.0 && v >= 0.0 => Some(v as u32),
                _ => return Err(format!("{name} {t:?} is not a whole number")),
            }
        }
        None => None,
    };
    let label_text = words
        .trim_matches(|c: char| c.is_whitespace() || "-–—:=()[]/".contains(c))
        .to_string();
    let from_label = if label_text.is_empty() {
        None
    } else {
        match scale.label_value(&label_text) {
            Some(v) => Some(v),
            None if from_number.is_none() => {
                return Err(format!("{name} {t:?}: {}", expected()));
            }
            None => {
                return Err(format!(
                    "{name} {t:?}: {label_text:?} is not a label of the {name} scale"
                ));
            }
        }
    };
    let value = match (from_number, from_label) {
        (Some(n), Some(l)) if n != l => {
            return Err(format!(
                "{name} {t:?}: the number says {n} but the label {label_text:?} means {l}"
            ));
        }
        (Some(n), _) => n,
        (None, Some(l)) => l,
        (None, None) => return Err(format!("{name} {t:?}: {}", expected())),
    };
    if !(1..=max).contains(&value) {
        return Err(format!("{name} {value} is outside the scale 1–{max}"));
    }
    Ok(ScaleValue {
        value,
        label: from_label.map(|_| label_text),
    })
}

/// Reads a scale value on a register's own scale (`labels`, lowest
/// first): one of its labels, a number 1–`labels.len()`, or, on a 5-point
/// scale, the labels [`parse_scale`] knows. `import --into` reads against
/// the register it updates, whose scale may not be the standard one.
pub(crate) fn parse_scale_in(
    cell: &str,
    scale: Scale,
    labels: &[String],
) -> Result<ScaleValue, String> {
    let n = norm_words(cell);
    if !n.is_empty()
        && let Some(i) = labels.iter().position(|l| norm_words(l) == n)
    {
        return Ok(ScaleValue {
            value: i as u32 + 1,
            label: None,
        });
    }
    let max = labels.len() as u32;
    let v = parse_scale(cell, scale, max)?;
    if v.label.is_some() && labels.len() != 5 {
        return Err(format!(
            "{} {:?}: not a label of the register's {} scale ({})",
            scale.name(),
            one_line(cell).0,
            scale.name(),
            labels.join(", ")
        ));
    }
    Ok(v)
}

/// Treatment words and the ISO/IEC 27005 option they mean: the first word
/// of the cell that starts with one of these stems decides.
const TREATMENT_STEMS: [(&str, Treatment); 16] = [
    ("mitigat", Treatment::Modify),
    ("reduc", Treatment::Modify),
    ("treat", Treatment::Modify),
    ("modif", Treatment::Modify),
    ("remediat", Treatment::Modify),
    ("accept", Treatment::Retain),
    ("tolera", Treatment::Retain),
    ("retain", Treatment::Retain),
    ("retention", Treatment::Retain),
    ("transfer", Treatment::Share),
    ("shar", Treatment::Share),
    ("insur", Treatment::Share),
    ("avoid", Treatment::Avoid),
    ("terminat", Treatment::Avoid),
    ("eliminat", Treatment::Avoid),
    ("cease", Treatment::Avoid),
];

/// A treatment cell: `Ok(None)` when empty, else the option and the word
/// that decided it.
pub(crate) fn parse_treatment(cell: &str) -> Result<Option<(Treatment, String)>, String> {
    let (t, _) = one_line(cell);
    if t.is_empty() {
        return Ok(None);
    }
    for word in t.split(|c: char| !c.is_alphanumeric()) {
        let lower = word.to_lowercase();
        if let Some(&(_, option)) = TREATMENT_STEMS
            .iter()
            .find(|(stem, _)| lower.starts_with(stem))
        {
            return Ok(Some((option, word.to_string())));
        }
    }
    Err(format!(
        "treatment {t:?} is not a treatment word (mitigate, reduce, treat, modify → Modify; accept, tolerate, retain → Retain; transfer, share, insure → Share; avoid, terminate → Avoid)"
    ))
}

/// A date and the format it was read in (for the report).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DateValue {
    pub date: NaiveDate,
    pub format: String,
}

/// ISO (`2026-09-01`), day-first (`01/09/2026`, `1.9.2026`, `01-09-2026`,
/// `01/09/26`), with a month name (`1 Sep 2026`, `01-Sep-2026`) or an Excel
/// serial day number (`46266`). A trailing midnight time is ignored.
pub(crate) fn parse_date(cell: &str) -> Result<DateValue, String> {
    let (t, _) = one_line(cell);
    let bad = |why: &str| format!("invalid date {t:?}: {why}");
    let mut s = t.as_str();
    for suffix in [" 00:00:00", "T00:00:00", " 00:00", "T00:00"] {
        if let Some(rest) = s.strip_suffix(suffix) {
            s = rest;
        }
    }
    let ok = |date: NaiveDate, format: &str| {
        Ok(DateValue {
            date,
            format: format.to_string(),
        })
    };
    // Excel serial day number (days since 1899-12-30), 1955 … 2119.
    if s.len() == 5
        && s.chars().all(|c| c.is_ascii_digit())
        && let Ok(n) = s.parse::<u64>()
        && (20_000..80_000).contains(&n)
    {
        let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
        if let Some(d) = epoch.checked_add_days(Days::new(n)) {
            return ok(d, "Excel serial day number");
        }
    }
    for (fmt, name) in [
        ("%d %b %Y", "D Mon YYYY"),
        ("%d-%b-%Y", "DD-Mon-YYYY"),
        ("%d-%b-%y", "DD-Mon-YY"),
        ("%d %B %Y", "D Month YYYY"),
        ("%d. %B %Y", "D. Month YYYY"),
    ] {
        if let Ok(d) = NaiveDate::parse_from_str(s, fmt) {
            return ok(d, name);
        }
    }
    let sep = s.chars().find(|c| matches!(c, '-' | '/' | '.'));
    let Some(sep) = sep else {
        return Err(bad(
            "expected YYYY-MM-DD or a day-first date such as 01/09/2026",
        ));
    };
    let parts: Vec<&str> = s.trim_end_matches('.').split(sep).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || p.len() > 4 || !p.chars().all(|c| c.is_ascii_digit()))
    {
        return Err(bad(
            "expected YYYY-MM-DD or a day-first date such as 01/09/2026",
        ));
    }
    let num = |p: &str| p.parse::<u32>().unwrap_or(0);
    let shape = |p: &str, one: &str, two: &str| if p.len() == 1 { one } else { two }.to_string();
    if parts[0].len() == 4 {
        let (y, m, d) = (num(parts[0]), num(parts[1]), num(parts[2]));
        let name = format!("YYYY{sep}MM{sep}DD");
        return match NaiveDate::from_ymd_opt(y as i32, m, d) {
            Some(date) if sep == '-' => ok(date, "YYYY-MM-DD (ISO)"),
            Some(date) => ok(date, &name),
            None => Err(bad("no such day")),
        };
    }
    let (d, m) = (num(parts[0]), num(parts[1]));
    let y = match parts[2].len() {
        4 => num(parts[2]) as i32,
        2 => 2000 + num(parts[2]) as i32,
        _ => return Err(bad("the year needs 4 digits (or 2)")),
    };
    let name = format!(
        "{}{sep}{}{sep}{} (day first)",
        shape(parts[0], "D", "DD"),
        shape(parts[1], "M", "MM"),
        if parts[2].len() == 2 {
            "YY = 20YY"
        } else {
            "YYYY"
        }
    );
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => ok(date, &name),
        None if m > 12 && d <= 12 => Err(bad(
            "looks month-first (US); riskbench reads DD/MM/YYYY (day first) or YYYY-MM-DD",
        )),
        None => Err(bad("no such day")),
    }
}

/// The control references found in one cell.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ControlCell {
    /// 2022 ids, each once, in the order found (2013 ids replaced by their
    /// targets).
    pub ids: Vec<String>,
    /// 2013 references as written and what they became.
    pub translated: Vec<(String, &'static OldControl)>,
    /// References that are neither 2013 nor 2022 controls, as written.
    pub unknown: Vec<String>,
    /// Text that is not a reference (titles after ids, "ISO 27001", …).
    pub ignored: Vec<String>,
}

/// "N/A", "none", "-", "TBD": a cell that says there is nothing.
pub(crate) fn is_placeholder(cell: &str) -> bool {
    let t = cell.trim().to_lowercase();
    matches!(
        t.as_str(),
        "n/a" | "na" | "n.a." | "none" | "nil" | "-" | "–" | "—" | "tbd" | "tba" | "?"
    )
}

/// Separators between references: `,` `;` `/` `|` `&` `+`, whitespace,
/// line breaks and the word "and".
fn is_separator(c: char) -> bool {
    c.is_whitespace() || ",;/|&+".contains(c)
}

/// Reads every control reference in a cell: `A.8.13, 5.30`, `Annex A 8.13;
/// A 5.30`, `A.12.3.1 / A.9.4.2`, one per line, …
#[cfg(test)]
pub(crate) fn parse_controls(cell: &str) -> ControlCell {
    parse_controls_with(cell, &[])
}

/// [`parse_controls`], reading the words in `own` (a register's own
/// control ids, REGISTER.md §5) as links where they stand.
pub(crate) fn parse_controls_with(cell: &str, own: &[&str]) -> ControlCell {
    let mut out = ControlCell::default();
    let chars: Vec<char> = cell.chars().collect();
    let n = chars.len();
    let mut i = 0;
    // Start of text not yet consumed by a reference (for `ignored`).
    let mut pending = String::new();
    let flush = |pending: &mut String, out: &mut ControlCell| {
        let mut words: Vec<&str> = pending
            .split(is_separator)
            .filter(|w| {
                let l = w.to_lowercase();
                !w.is_empty() && !["and", "annex", "a", "-", ":", "."].contains(&l.as_str())
            })
            .collect();
        words.retain(|w| {
            let mine = own.contains(w);
            if mine {
                push_unique(&mut out.ids, w.to_string());
            }
            !mine
        });
        if !words.is_empty() {
            out.ignored.push(words.join(" "));
        }
        pending.clear();
    };
    while i < n {
        // A number starts a reference after a separator, a prefix such as
        // "A." or a bare "A" ("A8.13").
        let boundary = i == 0
            || !chars[i - 1].is_alphanumeric()
            || (matches!(chars[i - 1], 'A' | 'a') && (i == 1 || !chars[i - 2].is_alphanumeric()));
        if chars[i].is_ascii_digit() && boundary {
            let start = i;
            while i < n
                && (chars[i].is_ascii_digit()
                    || (chars[i] == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)))
            {
                i += 1;
            }
            // A letter right after the number (`8.13a`, `27001x`) makes it
            // a word, not a reference.
            if i < n && chars[i].is_alphabetic() {
                while i < n && !is_separator(chars[i]) {
                    i += 1;
                }
                pending.extend(&chars[start..i]);
                continue;
            }
            let number: String = chars[start..i].iter().collect();
            // The prefix as written: "A.", "A ", "Annex A ", "Annex A.".
            let prefix_start = prefix_start(&chars, start);
            let written: String = chars[prefix_start..i].iter().collect();
            let prefixed = prefix_start < start;
            // Drop the prefix from the pending text.
            let keep = pending.chars().count().saturating_sub(start - prefix_start);
            pending = pending.chars().take(keep).collect();
            match classify(&number) {
                ControlRef::Current(id) => {
                    flush(&mut pending, &mut out);
                    push_unique(&mut out.ids, id);
                }
                ControlRef::Old(old) => {
                    flush(&mut pending, &mut out);
                    out.translated.push((written.trim().to_string(), old));
                    for t in &old.targets {
                        push_unique(&mut out.ids, t.clone());
                    }
                }
                ControlRef::Unknown if !number.contains('.') && !prefixed => {
                    // "ISO 27001", "2022": numbers, not references.
                    pending.push_str(&number);
                }
                ControlRef::Unknown => {
                    flush(&mut pending, &mut out);
                    out.unknown.push(written.trim().to_string());
                }
            }
            continue;
        }
        pending.push(chars[i]);
        i += 1;
    }
    flush(&mut pending, &mut out);
    out
}

fn push_unique(list: &mut Vec<String>, id: String) {
    if !list.contains(&id) {
        list.push(id);
    }
}

/// Where the `A.` / `A ` / `Annex A ` prefix before position `at` starts
/// (`at` itself when there is none).
fn prefix_start(chars: &[char], at: usize) -> usize {
    let mut j = at;
    while j > 0 && matches!(chars[j - 1], '.' | ' ' | '-' | ':') {
        j -= 1;
    }
    if j == 0 || !matches!(chars[j - 1], 'A' | 'a') {
        return at;
    }
    let a = j - 1;
    if a > 0 && chars[a - 1].is_alphanumeric() {
        return at;
    }
    // "Annex A": step over spaces before "A" and look for "annex".
    let mut k = a;
    while k > 0 && matches!(chars[k - 1], ' ' | '-') {
        k -= 1;
    }
    if k >= 5 {
        let word: String = chars[k - 5..k].iter().collect();
        if word.eq_ignore_ascii_case("annex") && (k == 5 || !chars[k - 6].is_alphanumeric()) {
            return k - 5;
        }
    }
    a
}

/// Asset kinds by name and common synonyms.
const KIND_WORDS: [(&str, AssetKind); 39] = [
    ("process", AssetKind::Process),
    ("business process", AssetKind::Process),
    ("activity", AssetKind::Process),
    ("information", AssetKind::Information),
    ("data", AssetKind::Information),
    ("document", AssetKind::Information),
    ("record", AssetKind::Information),
    ("software", AssetKind::Software),
    ("application", AssetKind::Software),
    ("app", AssetKind::Software),
    ("system", AssetKind::Software),
    ("hardware", AssetKind::Hardware),
    ("device", AssetKind::Hardware),
    ("equipment", AssetKind::Hardware),
    ("server", AssetKind::Hardware),
    ("laptop", AssetKind::Hardware),
    ("media", AssetKind::Hardware),
    ("storage media", AssetKind::Hardware),
    ("network", AssetKind::Network),
    ("infrastructure", AssetKind::Network),
    ("service", AssetKind::Service),
    ("cloud service", AssetKind::Service),
    ("it service", AssetKind::Service),
    ("saas", AssetKind::Service),
    ("people", AssetKind::People),
    ("person", AssetKind::People),
    ("personnel", AssetKind::People),
    ("staff", AssetKind::People),
    ("employee", AssetKind::People),
    ("site", AssetKind::Site),
    ("location", AssetKind::Site),
    ("building", AssetKind::Site),
    ("premises", AssetKind::Site),
    ("facility", AssetKind::Site),
    ("office", AssetKind::Site),
    ("supplier", AssetKind::Supplier),
    ("vendor", AssetKind::Supplier),
    ("third party", AssetKind::Supplier),
    ("provider", AssetKind::Supplier),
];

/// An asset kind: a kind name or a common synonym, singular or plural.
pub(crate) fn parse_asset_kind(cell: &str) -> Result<AssetKind, String> {
    let n = norm_words(cell);
    let lookup = |w: &str| {
        KIND_WORDS
            .iter()
            .find(|(k, _)| *k == w)
            .map(|&(_, kind)| kind)
    };
    let singular = n.strip_suffix('s').unwrap_or(&n).to_string();
    lookup(&n)
        .or_else(|| lookup(&singular))
        .or_else(|| n.split(' ').next().and_then(lookup))
        .ok_or_else(|| {
            let names: Vec<&str> = AssetKind::ALL.iter().map(|k| k.as_str()).collect();
            format!(
                "asset kind {:?} is not one of {}",
                one_line(cell).0,
                names.join(", ")
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(cell: &str, s: Scale) -> u32 {
        parse_scale(cell, s, 5).unwrap().value
    }

    #[test]
    fn scales() {
        assert_eq!(v("4", Scale::Likelihood), 4);
        assert_eq!(v("4.0", Scale::Likelihood), 4);
        assert_eq!(v("Almost certain", Scale::Likelihood), 5);
        assert_eq!(v("almost  CERTAIN", Scale::Likelihood), 5);
        assert_eq!(v("3 - Possible", Scale::Likelihood), 3);
        assert_eq!(v("Major (4)", Scale::Impact), 4);
        assert_eq!(v("Very high", Scale::Impact), 5);
        assert_eq!(v("Insignificant", Scale::Impact), 1);
        assert_eq!(v("Catastrophic", Scale::Impact), 5);
        assert!(parse_scale("huge", Scale::Likelihood, 5).is_err());
        assert!(parse_scale("7", Scale::Likelihood, 5).is_err());
        assert!(parse_scale("2 - Likely", Scale::Likelihood, 5).is_err());
        assert!(parse_scale("", Scale::Likelihood, 5).is_err());
        assert_eq!(
            parse_scale("Likely", Scale::Likelihood, 5).unwrap().label,
            Some("Likely".into())
        );
    }

    #[test]
    fn scales_of_a_register() {
        let three: Vec<String> = ["Low", "Medium", "High"].map(String::from).to_vec();
        let v = |c: &str| parse_scale_in(c, Scale::Impact, &three).map(|v| v.value);
        assert_eq!(v("high"), Ok(3));
        assert_eq!(v("2"), Ok(2));
        assert!(v("4").is_err());
        assert!(v("Severe").is_err());
        let five: Vec<String> = Scale::Likelihood.labels().map(String::from).to_vec();
        let v = |c: &str| parse_scale_in(c, Scale::Likelihood, &five).map(|v| v.value);
        assert_eq!(v("Almost certain"), Ok(5));
        assert_eq!(v("Very high"), Ok(5));
        assert_eq!(v("3.0"), Ok(3));
    }

    #[test]
    fn treatments() {
        let t = |s: &str| parse_treatment(s).unwrap().map(|(t, _)| t);
        assert_eq!(t("Mitigate"), Some(Treatment::Modify));
        assert_eq!(t("Reduce – add MFA"), Some(Treatment::Modify));
        assert_eq!(t("Risk accepted"), Some(Treatment::Retain));
        assert_eq!(t("Tolerate"), Some(Treatment::Retain));
        assert_eq!(t("Transfer (insurance)"), Some(Treatment::Share));
        assert_eq!(t("Avoid"), Some(Treatment::Avoid));
        assert_eq!(t("Terminate"), Some(Treatment::Avoid));
        assert_eq!(t("Share"), Some(Treatment::Share));
        assert_eq!(t(""), None);
        assert!(parse_treatment("fix it").is_err());
    }

    #[test]
    fn dates() {
        let d = |s: &str| parse_date(s).unwrap().date.to_string();
        assert_eq!(d("2026-09-01"), "2026-09-01");
        assert_eq!(d("01/09/2026"), "2026-09-01");
        assert_eq!(d("1.9.2026"), "2026-09-01");
        assert_eq!(d("01-09-2026"), "2026-09-01");
        assert_eq!(d("01/09/26"), "2026-09-01");
        assert_eq!(d("1 Sep 2026"), "2026-09-01");
        assert_eq!(d("01-Sep-2026"), "2026-09-01");
        assert_eq!(d("2026-09-01 00:00:00"), "2026-09-01");
        assert_eq!(d("46266"), "2026-09-01");
        assert_eq!(
            parse_date("1.9.2026").unwrap().format,
            "D.M.YYYY (day first)"
        );
        assert!(parse_date("31/02/2026").is_err());
        assert!(
            parse_date("09/30/2026")
                .unwrap_err()
                .contains("month-first")
        );
        assert!(parse_date("soon").is_err());
    }

    #[test]
    fn control_cells() {
        let c = parse_controls("A.8.13, 5.30");
        assert_eq!(c.ids, ["8.13", "5.30"]);
        let c = parse_controls("Annex A 8.13; A 5.30\nA.8.7");
        assert_eq!(c.ids, ["8.13", "5.30", "8.7"]);
        assert!(c.ignored.is_empty(), "{:?}", c.ignored);
        let c = parse_controls("A.12.3.1, A.9.4.2");
        assert_eq!(c.ids, ["8.13", "8.5"]);
        assert_eq!(c.translated.len(), 2);
        assert_eq!(c.translated[0].0, "A.12.3.1");
        let c = parse_controls("A.8.13 / A.99.1");
        assert_eq!(c.unknown, ["A.99.1"]);
        let c = parse_controls("ISO 27001:2022 A.8.13 (Information backup)");
        assert_eq!(c.ids, ["8.13"]);
        assert_eq!(c.ignored, ["ISO 27001:2022", "(Information backup)"]);
        let c = parse_controls("A.18.2.3");
        assert_eq!(c.ids, ["5.36", "8.8"]);
        assert!(is_placeholder(" N/A "));
        assert!(is_placeholder("TBD"));
        assert!(!is_placeholder("A.8.13"));
        let c = parse_controls("MFA");
        assert!(c.ids.is_empty());
        assert_eq!(c.ignored, ["MFA"]);
    }

    #[test]
    fn asset_kinds() {
        assert_eq!(parse_asset_kind("Data").unwrap(), AssetKind::Information);
        assert_eq!(
            parse_asset_kind("Applications").unwrap(),
            AssetKind::Software
        );
        assert_eq!(
            parse_asset_kind("Third party").unwrap(),
            AssetKind::Supplier
        );
        assert_eq!(parse_asset_kind("supplier").unwrap(), AssetKind::Supplier);
        assert!(parse_asset_kind("Unicorn").is_err());
    }
}
