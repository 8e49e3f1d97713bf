//! A trie of key sequences for one context.
//!
//! Invariant kept by the loader and by [`Trie::insert_overriding`]: a node
//! that holds an action has no children, so a bound sequence is never also
//! the prefix of another. Depth is bounded by
//! [`MAX_SEQUENCE_LEN`](super::key::MAX_SEQUENCE_LEN), so the recursive
//! `Drop` of nested maps cannot exhaust the stack.

use std::collections::BTreeMap;

use super::key::KeyPress;
use crate::app::action::Action;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Node {
    pub(crate) action: Option<Action>,
    pub(crate) children: BTreeMap<KeyPress, Node>,
}

impl Node {
    /// Every binding below this node, as (suffix, action), in key order.
    /// `NoOp` markers are included.
    pub(crate) fn entries(&self) -> Vec<(Vec<KeyPress>, Action)> {
        let mut out = Vec::new();
        let mut stack: Vec<(Vec<KeyPress>, &Node)> = vec![(Vec::new(), self)];
        while let Some((path, node)) = stack.pop() {
            if let Some(a) = node.action {
                out.push((path.clone(), a));
            }
            for (k, child) in node.children.iter().rev() {
                let mut p = path.clone();
                p.push(*k);
                stack.push((p, child));
            }
        }
        out
    }

    /// Whether some binding below (or at) this node is not a `NoOp` marker.
    pub(crate) fn has_live_binding(&self) -> bool {
        let mut stack = vec![self];
        while let Some(node) = stack.pop() {
            if node.action.is_some_and(|a| a != Action::NoOp) {
                return true;
            }
            stack.extend(node.children.values());
        }
        false
    }
}

/// Key sequences → actions for one context.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Trie {
    root: Node,
}

impl Trie {
    /// The node reached by `keys`, if any.
    pub(crate) fn walk(&self, keys: &[KeyPress]) -> Option<&Node> {
        let mut node = &self.root;
        for k in keys {
            node = node.children.get(k)?;
        }
        Some(node)
    }

    /// An existing binding that `keys` would clash with: the same sequence,
    /// a bound prefix of it, or a longer binding that starts with it.
    pub(crate) fn conflict(&self, keys: &[KeyPress]) -> Option<Vec<KeyPress>> {
        let mut node = &self.root;
        for (i, k) in keys.iter().enumerate() {
            if node.action.is_some() {
                return Some(keys[..i].to_vec());
            }
            node = node.children.get(k)?;
        }
        if node.action.is_some() {
            return Some(keys.to_vec());
        }
        node.entries().into_iter().next().map(|(suffix, _)| {
            let mut full = keys.to_vec();
            full.extend(suffix);
            full
        })
    }

    /// Binds `keys` (non-empty) to `action`, first removing every binding it
    /// would clash with (see [`Trie::conflict`]).
    pub(crate) fn insert_overriding(&mut self, keys: &[KeyPress], action: Action) {
        debug_assert!(!keys.is_empty());
        let mut node = &mut self.root;
        for k in keys {
            // A shorter binding on the way is a prefix of `keys`: drop it.
            node.action = None;
            node = node.children.entry(*k).or_default();
        }
        node.children.clear();
        node.action = Some(action);
    }

    /// Every binding, `NoOp` markers included, in key order.
    pub(crate) fn entries(&self) -> Vec<(Vec<KeyPress>, Action)> {
        self.root.entries()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.root.children.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keymap::key::parse_keys;

    fn keys(s: &str) -> Vec<KeyPress> {
        parse_keys(s).unwrap()
    }

    #[test]
    fn conflicts_and_overrides() {
        let mut t = Trie::default();
        t.insert_overriding(&keys("g g"), Action::GoTop);
        t.insert_overriding(&keys("g e"), Action::GoBottom);
        assert_eq!(t.conflict(&keys("g")), Some(keys("g e")));
        assert_eq!(t.conflict(&keys("g g")), Some(keys("g g")));
        assert_eq!(t.conflict(&keys("g g x")), Some(keys("g g")));
        assert_eq!(t.conflict(&keys("h")), None);
        t.insert_overriding(&keys("g"), Action::Quit);
        assert_eq!(t.entries(), vec![(keys("g"), Action::Quit)]);
        t.insert_overriding(&keys("g x"), Action::Add);
        assert_eq!(t.entries(), vec![(keys("g x"), Action::Add)]);
        assert!(!t.is_empty());
    }
}
