//! Annex A search by the words people use: the one matcher behind
//! `riskbench catalog QUERY` and the workbench's control pickers.
//!
//! People type "mfa", "phishing" or "patching", not "Secure authentication"
//! or "Management of technical vulnerabilities", so titles alone are not
//! enough. Each control carries a curated keyword list (the project's own,
//! `data/annex-a-keywords.csv`, embedded like the catalog), and a query is
//! ranked in tiers — an exact id, then keyword hits, then title words, then
//! the ISO/IEC 27002 attribute values, then a fuzzy match of "id title" —
//! so a precise hit never drowns among fuzzy ones.
//!
//! Words are compared case-insensitively, without their plural `-s`, and
//! with hyphens and spaces between word parts ignored: "Multi-Factor",
//! "multi factor" and "multifactor" are one word.

use std::sync::OnceLock;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use rustc_hash::FxHashMap as HashMap;

use super::catalog::{Catalog, ControlInfo, normalize_reference};

const KEYWORDS_CSV: &str = include_str!("../../data/annex-a-keywords.csv");

/// How a control matched a query; later variants rank higher.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    /// Only a fuzzy (subsequence) match of "id title".
    Fuzzy,
    /// Every query word is a word of the control's 27002 attributes.
    Attribute,
    /// Every query word is a word of the control's title.
    Title,
    /// The query is (a phrase of, or the start of a word of) the control's
    /// keywords.
    Keyword,
    /// The query is the control's id (`8.5`, `A.8.5`, `ORG-1`).
    ExactId,
}

/// A control's rank for a query: the tier first, then a score within it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rank {
    /// How it matched.
    pub tier: Tier,
    /// Higher is better, comparable only within one tier.
    pub score: i64,
}

/// What the matcher knows about one candidate control.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    /// Its id (`8.5`, or an own control's `ORG-1`).
    pub id: &'a str,
    /// Its title.
    pub title: &'a str,
    /// Its curated keywords (empty for own controls).
    pub keywords: &'a [String],
    /// Its ISO/IEC 27002 attribute values (empty for own controls).
    pub attributes: &'a [String],
}

/// A query, prepared once and matched against many candidates.
pub struct Query {
    raw: String,
    /// The Annex A id the query names, in any common spelling.
    exact: Option<String>,
    /// The query without `A.` / `Annex A` prefixes (for fuzzy matching).
    norm: String,
    words: Vec<String>,
    matcher: SkimMatcherV2,
}

impl Query {
    /// Prepares `text` for matching (trimmed; empty matches everything).
    pub fn new(text: &str) -> Query {
        let raw = text.trim().to_string();
        Query {
            exact: Catalog::annex_a().resolve(&raw).map(|c| c.id.to_string()),
            norm: normalize_reference(&raw),
            words: words(&raw),
            raw,
            matcher: SkimMatcherV2::default().ignore_case(),
        }
    }

    /// Whether nothing was typed.
    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }

    /// How `c` matches, or `None` when it does not. An empty query matches
    /// every candidate equally.
    pub fn rank(&self, c: Candidate<'_>) -> Option<Rank> {
        let rank = |tier, score| Some(Rank { tier, score });
        if self.is_empty() {
            return rank(Tier::Fuzzy, 0);
        }
        if self.exact.as_deref() == Some(c.id) || c.id.eq_ignore_ascii_case(&self.raw) {
            return rank(Tier::ExactId, 0);
        }
        if !self.words.is_empty() {
            if let Some(score) = keyword_score(&self.words, c.keywords) {
                return rank(Tier::Keyword, score);
            }
            let title = words(c.title);
            if let Some(score) = all_words_in(&self.words, std::slice::from_ref(&title)) {
                return rank(Tier::Title, score);
            }
            let attrs: Vec<Vec<String>> = c.attributes.iter().map(|a| words(a)).collect();
            if let Some(score) = all_words_in(&self.words, &attrs) {
                return rank(Tier::Attribute, score);
            }
        }
        let hay = format!("{} {}", c.id, c.title);
        let by_raw = self.matcher.fuzzy_match(&hay, &self.raw);
        let by_norm = (self.norm != self.raw)
            .then(|| self.matcher.fuzzy_match(&hay, &self.norm))
            .flatten();
        by_raw.max(by_norm).map(|s| Rank {
            tier: Tier::Fuzzy,
            score: s,
        })
    }
}

/// The Annex A controls matching `query`, best first (ties in catalog
/// order); an empty query lists all 93 in catalog order.
pub fn search<'c>(catalog: &'c Catalog, query: &str) -> Vec<&'c ControlInfo> {
    let q = Query::new(query);
    let mut scored: Vec<(Rank, usize)> = catalog
        .controls()
        .iter()
        .enumerate()
        .filter_map(|(i, c)| Some((q.rank(candidate(c))?, i)))
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored
        .into_iter()
        .map(|(_, i)| &catalog.controls()[i])
        .collect()
}

/// The matcher's view of an Annex A control: its keywords and attributes.
pub fn candidate(c: &ControlInfo) -> Candidate<'_> {
    Candidate {
        id: &c.id,
        title: &c.title,
        keywords: keywords(&c.id),
        attributes: attributes(&c.id),
    }
}

/// The curated keywords of the Annex A control `id` (empty for any other id).
pub fn keywords(id: &str) -> &'static [String] {
    static KEYWORDS: OnceLock<HashMap<String, Vec<String>>> = OnceLock::new();
    KEYWORDS
        .get_or_init(|| parse_keywords(KEYWORDS_CSV))
        .get(id)
        .map_or(&[], Vec::as_slice)
}

/// The 27002 attribute values of the Annex A control `id`, flattened, for
/// matching (empty for any other id).
fn attributes(id: &str) -> &'static [String] {
    static ATTRS: OnceLock<HashMap<String, Vec<String>>> = OnceLock::new();
    ATTRS
        .get_or_init(|| {
            Catalog::annex_a()
                .controls()
                .iter()
                .map(|c| {
                    let mut all: Vec<String> =
                        c.control_type.names().into_iter().map(Into::into).collect();
                    for list in [&c.properties, &c.concepts, &c.capabilities, &c.domains] {
                        all.extend(list.iter().cloned());
                    }
                    (c.id.to_string(), all)
                })
                .collect()
        })
        .get(id)
        .map_or(&[], Vec::as_slice)
}

/// Parses the embedded keyword file: `id,keywords` with `|` between
/// keywords and `#` comment lines. The file is part of the binary and
/// covered by the tests, so a malformed row is skipped, not reported.
fn parse_keywords(text: &str) -> HashMap<String, Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    reader
        .records()
        .filter_map(Result::ok)
        .filter_map(|r| {
            let id = r.get(0)?.trim().to_string();
            let kws = r
                .get(1)?
                .split('|')
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .map(str::to_string)
                .collect();
            Some((id, kws))
        })
        .collect()
}

/// Lower-cased words without their plural `-s`, split at anything that is
/// not a letter or digit (so `_`, `-`, `/` and `.` separate words).
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| singular(&w.to_lowercase()))
        .collect()
}

/// A crude singular, applied alike to queries and keywords, so only
/// consistency matters: "passwords" → "password", "policies" → "policy",
/// "patches" → "patch"; "access" and short words ("dns", "tls") stay.
fn singular(w: &str) -> String {
    if w.len() <= 3 || w.ends_with("ss") || !w.ends_with('s') {
        return w.to_string();
    }
    if let Some(stem) = w.strip_suffix("ies") {
        return format!("{stem}y");
    }
    for end in ["ches", "shes", "sses", "xes"] {
        if w.ends_with(end) {
            return w[..w.len() - 2].to_string();
        }
    }
    w[..w.len() - 1].to_string()
}

/// Whether the query words, joined, equal some run of consecutive keyword
/// words joined: "multi factor" and "multifactor" both hit
/// "multi-factor authentication". 3 when the run is the whole keyword.
fn phrase_hit(query: &str, keyword: &[String]) -> Option<i64> {
    for start in 0..keyword.len() {
        let mut joined = String::new();
        for (end, w) in keyword.iter().enumerate().skip(start) {
            joined.push_str(w);
            if joined.len() > query.len() || !query.starts_with(joined.as_str()) {
                break;
            }
            if joined == query {
                return Some(if start == 0 && end + 1 == keyword.len() {
                    3
                } else {
                    2
                });
            }
        }
    }
    None
}

/// The best keyword hit, ×10, plus how many keywords hit (a control known
/// by several of the query's phrasings ranks higher). Failing a phrase, a
/// query whose words all occur among the keywords scores 1 (×10).
fn keyword_score(query: &[String], keywords: &[String]) -> Option<i64> {
    let joined: String = query.concat();
    let kws: Vec<Vec<String>> = keywords.iter().map(|k| words(k)).collect();
    let hits: Vec<i64> = kws.iter().filter_map(|k| phrase_hit(&joined, k)).collect();
    if let Some(best) = hits.iter().max() {
        return Some(best * 10 + hits.len().min(9) as i64);
    }
    if all_words_in(query, &kws).is_some() {
        return Some(10);
    }
    // A word still being typed in a picker ("ransom", "multi-fac").
    (joined.len() >= 3 && kws.iter().any(|k| prefix_hit(&joined, k))).then_some(5)
}

/// Whether the query words, joined, begin the keyword's words joined from
/// one of them on: "ransom" begins "ransomware", "multifac" begins
/// "multi-factor".
fn prefix_hit(query: &str, keyword: &[String]) -> bool {
    (0..keyword.len()).any(|start| keyword[start..].concat().starts_with(query))
}

/// When every query word is one of the words of `texts`: a score, higher
/// for a text that is mostly the query (shorter titles first).
fn all_words_in(query: &[String], texts: &[Vec<String>]) -> Option<i64> {
    let found = |q: &String| texts.iter().any(|t| t.contains(q));
    if !query.iter().all(found) {
        return None;
    }
    let total: usize = texts.iter().map(Vec::len).sum();
    Some(100 - total.min(100) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_keyword_file_covers_every_control_with_200_keywords_or_more() {
        let catalog = Catalog::annex_a();
        let map = parse_keywords(KEYWORDS_CSV);
        for id in map.keys() {
            assert!(catalog.get(id).is_some(), "unknown control {id}");
        }
        for c in catalog.controls() {
            assert!(!keywords(&c.id).is_empty(), "{} has no keyword", c.id);
        }
        let total: usize = map.values().map(Vec::len).sum();
        assert!(total >= 200, "{total} keywords");
    }

    #[test]
    fn words_ignore_case_plurals_and_hyphens() {
        assert_eq!(words("Multi-Factor"), ["multi", "factor"]);
        assert_eq!(words("Passwords"), ["password"]);
        assert_eq!(words("Policies"), ["policy"]);
        assert_eq!(words("patches access TLS"), ["patch", "access", "tls"]);
        let kw = words("multi-factor authentication");
        for q in ["multifactor", "multi factor", "Multi-Factor"] {
            assert_eq!(phrase_hit(&words(q).concat(), &kw), Some(2), "{q}");
        }
        assert_eq!(phrase_hit("multifactorauthentication", &kw), Some(3));
        assert_eq!(phrase_hit("factorauth", &kw), None);
        assert!(prefix_hit("multifac", &kw) && prefix_hit("auth", &kw));
        assert!(!prefix_hit("factorauthx", &kw));
    }

    #[test]
    fn tiers_rank_id_then_keywords_then_titles_then_fuzzy() {
        let ids = |q: &str| -> Vec<String> {
            search(Catalog::annex_a(), q)
                .iter()
                .map(|c| c.id.to_string())
                .collect()
        };
        assert_eq!(ids("8.5")[0], "8.5");
        assert_eq!(ids("A.8.5")[0], "8.5");
        assert_eq!(ids("mfa")[0], "8.5");
        assert_eq!(ids("patch")[0], "8.8");
        assert_eq!(ids("backup")[0], "8.13");
        assert!(ids("zzzzqqq").is_empty());
        assert_eq!(ids("").len(), 93);
    }
}
