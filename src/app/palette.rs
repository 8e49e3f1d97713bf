//! How the command palette ranks actions for a query, and the vim commands
//! it understands (`:w`, `:q`, `:wq`, `:x`, `:q!`).
//!
//! The other pickers (controls, assets, …) match their labels fuzzily; the
//! palette cannot: a fuzzy subsequence of "Quit riskbench" matches `risk`,
//! and scattered letters rank "Show what changed (SoA, risks, scope)" above
//! the risk register for `risks`. Here a query is matched by words against
//! each action's keywords ([`Action::keywords`]) and description, and
//! ranked by how well, best first:
//!
//! 1. the whole query is one of the action's keyword phrases ("save as"),
//!    its name (`ShowRisks`) or its whole description;
//! 2. every query word is a word of its keywords, then the prefix of one,
//!    then a word of its description, then the prefix of one (a query is
//!    as good as its worst word);
//! 3. the query is a substring of the description or of a keyword;
//! 4. as a last resort, a fuzzy subsequence (skim) of a keyword, then of
//!    the description: a typo ("dashbord", "riks"), never letters
//!    scattered over a whole sentence.
//!
//! Ties go to the action listed first by [`Action::palette`] (views, then
//! editing, then the file; `Quit` last). `Quit` itself is matched only by
//! its keywords and their prefixes (`quit`, `q`, `exit`), so that no
//! everyday word or stray letters can put it first.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use super::action::Action;

/// A vim command typed in the palette (opened with `:`, so typing `w`
/// enter there is vim's `:w`). Taken on enter before any listed match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VimCommand {
    /// `:w`: save.
    Write,
    /// `:q`: quit, asking like `q` when there are unsaved edits.
    Quit,
    /// `:wq`: save, then quit when the save worked.
    WriteQuit,
    /// `:x`: like `:wq`, but writes only when there are unsaved edits.
    Exit,
    /// `:q!`: quit, dropping unsaved edits without asking.
    ForceQuit,
}

impl VimCommand {
    /// The command an exact palette query stands for (surrounding spaces
    /// ignored; vim's spelling only, so `W` or `quit!` are ordinary words).
    pub fn parse(query: &str) -> Option<VimCommand> {
        match query.trim() {
            "w" => Some(VimCommand::Write),
            "q" => Some(VimCommand::Quit),
            "wq" => Some(VimCommand::WriteQuit),
            "x" => Some(VimCommand::Exit),
            "q!" => Some(VimCommand::ForceQuit),
            _ => None,
        }
    }

    /// What enter will do, for the palette to show.
    pub fn describe(self) -> &'static str {
        match self {
            VimCommand::Write => ":w — save the register",
            VimCommand::Quit => ":q — quit (asks when there are unsaved edits)",
            VimCommand::WriteQuit => ":wq — save, then quit",
            VimCommand::Exit => ":x — save if modified, then quit",
            VimCommand::ForceQuit => ":q! — quit without saving",
        }
    }
}

/// A lower-case word and where it starts in the text (in chars).
struct Word {
    text: String,
    start: usize,
}

/// Splits on anything that is not a letter or digit: "on/off" is two
/// words, "(xlsx)" one.
fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut current: Option<Word> = None;
    for (i, c) in text.chars().enumerate() {
        if c.is_alphanumeric() {
            let w = current.get_or_insert_with(|| Word {
                text: String::new(),
                start: i,
            });
            w.text.extend(c.to_lowercase());
        } else if let Some(w) = current.take() {
            out.push(w);
        }
    }
    out.extend(current);
    out
}

fn joined(ws: &[Word]) -> String {
    ws.iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// How well one query word matches an action, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum WordMatch {
    DescriptionPrefix = 1,
    Description = 2,
    KeywordPrefix = 3,
    Keyword = 4,
}

/// Tier of a whole-phrase match, above every per-word tier.
const EXACT: u32 = 10;
const SUBSTRING: u32 = 2;
const FUZZY_KEYWORD: u32 = 1;
const FUZZY: u32 = 0;

/// One action's rank for a query: `(tier, secondary)`, highest first, and
/// the matched character positions in its label.
fn score(query: &str, q: &[Word], action: Action, label: &str) -> Option<(u32, i64, Vec<usize>)> {
    let label_words = words(label);
    let keyword_words: Vec<Vec<Word>> = action.keywords().iter().map(|k| words(k)).collect();
    let phrase = joined(q);
    // Positions of label words a query word matches: exact first, else
    // its prefix.
    let highlight = |q: &[Word]| -> Vec<usize> {
        let mut idx = Vec::new();
        for qw in q {
            let n = qw.text.chars().count();
            if let Some(lw) = label_words
                .iter()
                .find(|lw| lw.text == qw.text)
                .or_else(|| label_words.iter().find(|lw| lw.text.starts_with(&qw.text)))
            {
                idx.extend(lw.start..lw.start + n.min(lw.text.chars().count()));
            }
        }
        idx.sort_unstable();
        idx.dedup();
        idx
    };
    if !q.is_empty() {
        let squashed: String = q.iter().map(|w| w.text.as_str()).collect();
        if keyword_words.iter().any(|k| joined(k) == phrase)
            || joined(&label_words) == phrase
            || action.name().to_lowercase() == squashed
        {
            return Some((EXACT, 0, highlight(q)));
        }
        let levels: Option<Vec<WordMatch>> = q
            .iter()
            .map(|qw| {
                let kw = keyword_words.iter().flatten();
                if kw.clone().any(|w| w.text == qw.text) {
                    Some(WordMatch::Keyword)
                } else if kw.clone().any(|w| w.text.starts_with(&qw.text)) {
                    Some(WordMatch::KeywordPrefix)
                } else if label_words.iter().any(|w| w.text == qw.text) {
                    Some(WordMatch::Description)
                } else if label_words.iter().any(|w| w.text.starts_with(&qw.text)) {
                    Some(WordMatch::DescriptionPrefix)
                } else {
                    None
                }
            })
            .collect();
        if let Some(levels) = levels {
            let worst = levels.iter().min().copied().unwrap_or(WordMatch::Keyword);
            if action == Action::Quit && worst < WordMatch::KeywordPrefix {
                return None;
            }
            let sum: i64 = levels.iter().map(|&l| l as i64).sum();
            return Some((1 + worst as u32, sum, highlight(q)));
        }
    }
    // Quit is offered only for a word that means quitting (`quit`, `ex`):
    // never for a stray match in "Quit riskbench".
    if action == Action::Quit {
        return None;
    }
    let lower_query = query.trim().to_lowercase();
    let lower_label = label.to_lowercase();
    if let Some(at) = lower_label.find(&lower_query) {
        let start = lower_label[..at].chars().count();
        let idx = (start..start + lower_query.chars().count()).collect();
        return Some((SUBSTRING, 0, idx));
    }
    if action.keywords().iter().any(|k| k.contains(&lower_query)) {
        return Some((SUBSTRING, 0, Vec::new()));
    }
    // Letters scattered over a whole description ("errors" in "Export
    // the SoA workbook (xlsx) next to the register") are noise, not a
    // typo: a fuzzy match must stay within about three times its length.
    // A typo of a keyword ("riks") counts before one of a description.
    let matcher = SkimMatcherV2::default().ignore_case();
    let typed = query.trim().chars().count();
    let compact = |text: &str| {
        matcher
            .fuzzy_indices(text, query.trim())
            .filter(|(_, idx)| {
                idx.first()
                    .zip(idx.last())
                    .is_some_and(|(a, b)| b - a < 3 * typed + 2)
            })
    };
    let in_label = compact(label);
    if let Some(s) = action
        .keywords()
        .iter()
        .filter_map(|k| compact(k))
        .map(|(s, _)| s)
        .max()
    {
        return Some((
            FUZZY_KEYWORD,
            s,
            in_label.map(|(_, idx)| idx).unwrap_or_default(),
        ));
    }
    in_label.map(|(s, idx)| (FUZZY, s, idx))
}

/// The palette's matches for `query`: indices into `actions` (whose
/// labels are `labels`, the same length), best first, each with the
/// matched character positions in its label. An empty query lists every
/// action in order.
pub fn rank(query: &str, actions: &[Action], labels: &[&str]) -> Vec<(usize, Vec<usize>)> {
    let query = query.trim();
    if query.is_empty() {
        return (0..actions.len()).map(|i| (i, Vec::new())).collect();
    }
    let q = words(query);
    let mut scored: Vec<(u32, i64, usize, Vec<usize>)> = actions
        .iter()
        .zip(labels)
        .enumerate()
        .filter_map(|(i, (a, label))| {
            score(query, &q, *a, label).map(|(tier, second, idx)| (tier, second, i, idx))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    scored.into_iter().map(|(_, _, i, idx)| (i, idx)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(query: &str) -> Action {
        let actions = Action::palette();
        let labels: Vec<String> = actions.iter().map(Action::describe).collect();
        let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
        let m = rank(query, &actions, &labels);
        actions[m.first().expect("a match").0]
    }

    #[test]
    fn words_split_on_punctuation() {
        let w = words("Switch the selected factor on/off (xlsx)");
        let t: Vec<&str> = w.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(
            t,
            ["switch", "the", "selected", "factor", "on", "off", "xlsx"]
        );
        assert_eq!(w[1].start, 7);
    }

    #[test]
    fn keyword_beats_description_word_and_prefix_beats_fuzzy() {
        assert_eq!(first("risks"), Action::ShowRisks);
        assert_eq!(first("risk"), Action::ShowRisks);
        assert_eq!(first("appet"), Action::FilterAboveAppetite);
        assert_eq!(first("showrisks"), Action::ShowRisks);
        assert_eq!(first("likelihood 3"), Action::SetLikelihood(3));
    }

    #[test]
    fn every_keyword_is_lower_case_and_finds_its_action() {
        for a in Action::palette() {
            for k in a.keywords() {
                assert_eq!(*k, k.to_lowercase(), "{a}: {k}");
                assert_eq!(*k, k.trim(), "{a}: {k:?}");
                let actions = Action::palette();
                let labels: Vec<String> = actions.iter().map(Action::describe).collect();
                let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
                let m = rank(k, &actions, &labels);
                assert!(
                    m.iter().any(|(i, _)| actions[*i] == a),
                    "{a}: keyword {k:?} does not find it"
                );
            }
        }
    }

    #[test]
    fn vim_commands_are_exact() {
        assert_eq!(VimCommand::parse(" wq "), Some(VimCommand::WriteQuit));
        assert_eq!(VimCommand::parse("q!"), Some(VimCommand::ForceQuit));
        assert_eq!(VimCommand::parse("W"), None);
        assert_eq!(VimCommand::parse("write"), None);
    }
}
