//! Keymaps: key sequences → [`Action`]s, per [`Context`].
//!
//! - [`key`]: terminal-independent key presses, parsing and canonical text.
//! - [`context`]: the input contexts.
//! - `trie`: the per-context trie of key sequences.
//! - `parse`: the RON file format (errors carry `file:line:col`).
//! - [`load`]: embedded keymaps by name, files, the user override path.
//!
//! File format (see `keymaps/default.ron`, which doubles as documentation):
//!
//! ```ron
//! (version: 1, contexts: {
//!   global: { "ctrl-s": Save, ":": OpenPalette, "?": ToggleHelp, "q": Quit },
//!   table:  { "j": MoveDown, "g g": GoTop, "L 1": SetLikelihood(1) },
//!   form:   { "tab": NextField, "enter": Submit, "esc": Cancel },
//! })
//! ```
//!
//! Lookup rules:
//! - the active context is searched first, then its parent (`focus` falls
//!   back to `table`), then `global`;
//! - in a text-input context (form, picker, palette, filter) a global binding
//!   that starts with a plain printable character (`"q": Quit`) is not
//!   inherited, because that key types text there;
//! - `NoOp` unbinds: a key bound to `NoOp` in the active context is unbound
//!   there even when `global` binds it;
//! - within one context a key cannot be bound and also start a longer
//!   sequence (`"g"` and `"g g"`); the loader rejects that, and a user
//!   override that does it replaces the default bindings it clashes with.
//!
//! Terminal-free: nothing here may depend on a terminal library; the TUI
//! converts its key events into [`KeyPress`].

pub mod context;
mod error;
pub mod key;
pub mod load;
mod parse;
mod trie;

use std::collections::BTreeMap;

use crate::app::action::Action;

pub use context::Context;
pub use error::KeymapError;
pub use key::{KeyCode, KeyParseError, KeyPress, Mods, format_keys, parse_keys};
pub use parse::MAX_KEYMAP_BYTES;
use trie::Trie;

/// Bindings for every context.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keymap {
    contexts: BTreeMap<Context, Trie>,
}

/// What a (possibly partial) key sequence means in a context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The sequence is bound to this action.
    Action(Action),
    /// The sequence starts longer bindings: the remaining key(s) of each, in
    /// canonical text (e.g. `"g"` after a pending `g`), with their actions,
    /// sorted by keys. Feed it to a which-key popup and wait for more keys.
    Pending(Vec<(String, Action)>),
    /// Nothing is bound (or the key is unbound with `NoOp`).
    Unbound,
}

/// One step of resolution, before continuations are listed.
enum Step {
    Leaf(Action),
    Prefix,
    Missing,
}

impl Keymap {
    /// An empty keymap.
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses keymap source text in RON; `file` only labels errors.
    pub fn parse(file: &str, src: &str) -> Result<Keymap, KeymapError> {
        parse::parse(file, src)
    }

    /// Merges `user` over `self`, per context and per key: each of the user's
    /// keys replaces that key only (plus whatever it clashes with as a prefix),
    /// and a user `NoOp` removes the binding.
    pub fn merge_over(&mut self, user: Keymap) {
        for (ctx, trie) in user.contexts {
            let base = self.contexts.entry(ctx).or_default();
            for (keys, action) in trie.entries() {
                base.insert_overriding(&keys, action);
            }
        }
    }

    /// Resolves the keys typed so far in `ctx` (then `global`).
    pub fn lookup(&self, ctx: Context, pending: &[KeyPress]) -> Lookup {
        if pending.is_empty() {
            return Lookup::Unbound;
        }
        match self.resolve(ctx, pending) {
            Step::Leaf(Action::NoOp) | Step::Missing => Lookup::Unbound,
            Step::Leaf(action) => Lookup::Action(action),
            Step::Prefix => {
                let mut candidates = Vec::new();
                for trie in [Some(ctx), ctx.parent(), self.global_for(ctx, pending)]
                    .into_iter()
                    .flatten()
                    .filter_map(|c| self.contexts.get(&c))
                {
                    if let Some(node) = trie.walk(pending) {
                        candidates.extend(node.entries());
                    }
                }
                let mut out: Vec<(String, Action)> = Vec::new();
                for (suffix, action) in candidates {
                    if action == Action::NoOp {
                        continue;
                    }
                    let mut full = pending.to_vec();
                    full.extend_from_slice(&suffix);
                    // Keep only what typing the rest would really reach.
                    if matches!(self.resolve(ctx, &full), Step::Leaf(a) if a == action) {
                        let text = format_keys(&suffix);
                        if !out.iter().any(|(t, _)| *t == text) {
                            out.push((text, action));
                        }
                    }
                }
                if out.is_empty() {
                    return Lookup::Unbound;
                }
                out.sort_by(|a, b| a.0.cmp(&b.0));
                Lookup::Pending(out)
            }
        }
    }

    /// Every binding (`NoOp` markers left out) as (context, canonical keys,
    /// action), sorted by context, then keys.
    pub fn bindings(&self) -> Vec<(Context, String, Action)> {
        let mut out = Vec::new();
        for (ctx, trie) in &self.contexts {
            let mut rows: Vec<(String, Action)> = trie
                .entries()
                .into_iter()
                .filter(|(_, a)| *a != Action::NoOp)
                .map(|(keys, a)| (format_keys(&keys), a))
                .collect();
            rows.sort_by(|a, b| a.0.cmp(&b.0));
            out.extend(rows.into_iter().map(|(k, a)| (*ctx, k, a)));
        }
        out
    }

    /// The keys bound to `action`, as (context, canonical keys), in
    /// [`Keymap::bindings`] order; for the palette and help screen.
    pub fn keys_for(&self, action: Action) -> Vec<(Context, String)> {
        self.bindings()
            .into_iter()
            .filter(|(_, _, a)| *a == action)
            .map(|(c, k, _)| (c, k))
            .collect()
    }

    /// Number of bindings (`NoOp` markers left out).
    pub fn binding_count(&self) -> usize {
        self.bindings().len()
    }

    /// Number of contexts that have at least one entry (`NoOp` included).
    pub fn context_count(&self) -> usize {
        self.contexts.values().filter(|t| !t.is_empty()).count()
    }

    /// The context whose global bindings apply to `pending` in `ctx`, if any.
    fn global_for(&self, ctx: Context, pending: &[KeyPress]) -> Option<Context> {
        let typed_as_text = ctx.is_text_input() && pending.first().is_some_and(|k| k.is_text());
        (ctx != Context::Global && !typed_as_text).then_some(Context::Global)
    }

    fn step_in(&self, ctx: Context, keys: &[KeyPress]) -> Step {
        let Some(node) = self.contexts.get(&ctx).and_then(|t| t.walk(keys)) else {
            return Step::Missing;
        };
        match node.action {
            Some(a) => Step::Leaf(a),
            None if node.has_live_binding() => Step::Prefix,
            None => Step::Missing,
        }
    }

    fn resolve(&self, ctx: Context, keys: &[KeyPress]) -> Step {
        let own = match (self.step_in(ctx, keys), ctx.parent()) {
            (Step::Missing, Some(parent)) => self.step_in(parent, keys),
            (found, _) => found,
        };
        match own {
            Step::Missing => match self.global_for(ctx, keys) {
                Some(g) => self.step_in(g, keys),
                None => Step::Missing,
            },
            found => found,
        }
    }
}
