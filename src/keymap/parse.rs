//! RON keymap files → [`Keymap`].
//!
//! The file is deserialised by ron 0.12 through serde, and every check that
//! can fail runs *inside* deserialisation (key strings, duplicate and prefix
//! conflicts, score ranges, the version), so ron's `SpannedError` supplies
//! the position for all of them: a bad key points at the key's text, an
//! unknown action at its name, a score at the number. That is more exact than
//! searching the source for the quoted key afterwards, and it is right even
//! when the same key text appears in several contexts.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, MapAccess, Visitor};

use super::Keymap;
use super::context::Context;
use super::error::KeymapError;
use super::key::{KeyPress, format_keys, parse_keys, shorten};
use super::trie::Trie;
use crate::app::action::Action;

/// Largest keymap source accepted, in bytes (1 MiB).
pub const MAX_KEYMAP_BYTES: usize = 1 << 20;

/// Nesting limit handed to ron; the keymap schema itself is 4 levels deep.
const RECURSION_LIMIT: usize = 64;

/// The only file format version this build reads.
const KEYMAP_VERSION: u64 = 1;

#[derive(Deserialize)]
#[serde(rename = "Keymap", deny_unknown_fields)]
struct KeymapFile {
    #[allow(dead_code)] // validated while deserialising
    version: Version,
    contexts: Contexts,
}

struct Version;

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = u64::deserialize(d)?;
        if v != KEYMAP_VERSION {
            return Err(de::Error::custom(format!(
                "unsupported keymap version {v}; this riskbench reads version {KEYMAP_VERSION}"
            )));
        }
        Ok(Version)
    }
}

struct Contexts(BTreeMap<Context, Trie>);

impl<'de> Deserialize<'de> for Contexts {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Contexts;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of contexts, e.g. { global: { \"q\": Quit } }")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Contexts, A::Error> {
                let mut out = BTreeMap::new();
                while let Some(ctx) = map.next_key::<Context>()? {
                    if out.contains_key(&ctx) {
                        return Err(de::Error::custom(format!(
                            "context `{ctx}` appears twice; put all its keys in one block"
                        )));
                    }
                    let trie = map.next_value_seed(BindingsSeed(ctx))?;
                    out.insert(ctx, trie);
                }
                Ok(Contexts(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// Deserialises one context block, checking each key as it is read.
struct BindingsSeed(Context);

impl<'de> DeserializeSeed<'de> for BindingsSeed {
    type Value = Trie;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Trie, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for BindingsSeed {
    type Value = Trie;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map from key strings to actions, e.g. { \"j\": MoveDown }")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Trie, A::Error> {
        let ctx = self.0;
        let mut trie = Trie::default();
        // Source spelling of each bound sequence, for messages.
        let mut spelled: BTreeMap<Vec<KeyPress>, String> = BTreeMap::new();
        while let Some(KeyText { keys, text }) = map.next_key::<KeyText>()? {
            let text = shorten(&text).into_owned();
            if let Some(other) = trie.conflict(&keys) {
                let other_text = spelled
                    .get(&other)
                    .cloned()
                    .unwrap_or_else(|| format_keys(&other));
                let msg = if other == keys {
                    if other_text == text {
                        format!("key \"{text}\" is bound twice in context `{ctx}`")
                    } else {
                        format!(
                            "key \"{text}\" is bound twice in context `{ctx}` (also written \"{other_text}\")"
                        )
                    }
                } else {
                    format!(
                        "key \"{text}\" conflicts with \"{other_text}\" in context `{ctx}`: \
                         a key cannot be bound and also start a longer sequence"
                    )
                };
                return Err(de::Error::custom(msg));
            }
            let action: Action = map.next_value()?;
            trie.insert_overriding(&keys, action);
            spelled.insert(keys, text);
        }
        Ok(trie)
    }
}

/// A key string, parsed while deserialising so ron can point at it.
struct KeyText {
    keys: Vec<KeyPress>,
    text: String,
}

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let keys = parse_keys(&text).map_err(de::Error::custom)?;
        Ok(KeyText { keys, text })
    }
}

/// Parses keymap source text. `file` only labels error messages. A leading
/// byte-order mark (Windows editors write one) is skipped, as for a
/// register.
pub(crate) fn parse(file: &str, src: &str) -> Result<Keymap, KeymapError> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    if src.len() > MAX_KEYMAP_BYTES {
        return Err(KeymapError::unpositioned(
            file,
            format!(
                "keymap is {} bytes, larger than the 1 MiB limit; refusing to parse it",
                src.len()
            ),
        ));
    }
    if src.trim().is_empty() {
        return Err(KeymapError {
            file: file.to_string(),
            line: 1,
            col: 1,
            message: "keymap is empty; expected (version: 1, contexts: { ... })".to_string(),
        });
    }
    let options = ron::Options::default().with_recursion_limit(RECURSION_LIMIT);
    match options.from_str::<KeymapFile>(src) {
        Ok(f) => Ok(Keymap {
            contexts: f.contexts.0,
        }),
        Err(e) => {
            let (line, col) = (e.span.start.line, e.span.start.col);
            let mut message = describe_ron_error(&e.code);
            if only_whitespace_after(src, line, col) {
                message.push_str(" (the file ends too early: is a bracket left open?)");
            }
            Err(KeymapError {
                file: file.to_string(),
                line,
                col,
                message,
            })
        }
    }
}

/// Whether nothing but whitespace follows the 1-based `line`:`col`.
fn only_whitespace_after(src: &str, line: usize, col: usize) -> bool {
    let mut start = 0;
    for _ in 1..line {
        match src[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return false,
        }
    }
    let pos = src[start..]
        .char_indices()
        .nth(col.saturating_sub(1))
        .map_or(src.len(), |(i, _)| start + i);
    src[pos..].trim().is_empty()
}

fn describe_ron_error(code: &ron::Error) -> String {
    match code {
        ron::Error::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => {
            let (what, valid): (&str, Vec<String>) = match outer.as_deref() {
                Some("Action") => ("action", action_spellings(expected)),
                Some("Context") => (
                    "context",
                    expected.iter().map(|s| (*s).to_string()).collect(),
                ),
                _ => ("name", expected.iter().map(|s| (*s).to_string()).collect()),
            };
            let mut msg = format!("unknown {what} `{}`", shorten(found));
            if let Some(s) = closest(found, expected) {
                msg.push_str(&format!(" (did you mean `{s}`?)"));
            }
            msg.push_str(&format!("; valid {what}s: {}", valid.join(", ")));
            msg
        }
        ron::Error::NoSuchStructField { found, .. } => {
            format!(
                "unknown field `{}`; a keymap has `version` and `contexts`",
                shorten(found)
            )
        }
        ron::Error::MissingStructField { field, .. } => {
            format!(
                "missing field `{field}`; a keymap looks like (version: 1, contexts: {{ ... }})"
            )
        }
        ron::Error::DuplicateStructField { field, .. } => {
            format!("field `{field}` appears twice")
        }
        ron::Error::ExpectedIdentifier => {
            "expected a name without quotes (an action such as `MoveDown`, \
             or a context such as `table`)"
                .to_string()
        }
        ron::Error::ExceededRecursionLimit => {
            format!("input is nested too deeply (more than {RECURSION_LIMIT} levels)")
        }
        other => other.to_string(),
    }
}

fn action_spellings(expected: &[&str]) -> Vec<String> {
    expected
        .iter()
        .map(|name| match *name {
            "SetLikelihood" | "SetImpact" => format!("{name}(n)"),
            _ => (*name).to_string(),
        })
        .collect()
}

/// The candidate nearest to `found` (case-insensitive edit distance), if it
/// is close enough to be a plausible typo.
fn closest<'a>(found: &str, candidates: &[&'a str]) -> Option<&'a str> {
    if found.len() > 64 {
        return None;
    }
    let found_l = found.to_lowercase();
    candidates
        .iter()
        .map(|c| (edit_distance(&found_l, &c.to_lowercase()), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(
            closest("MoveDwn", &["MoveUp", "MoveDown"]),
            Some("MoveDown")
        );
        assert_eq!(closest("tabel", &["global", "table"]), Some("table"));
        assert_eq!(closest("Frobnicate", &["Quit", "Save"]), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
