//! The input contexts a key can be bound in.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Where the keyboard focus is; computed by the app from its modal stack.
/// Lookup tries the active context first, then its [`Context::parent`]
/// (the focus view's is the table), then [`Context::Global`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Context {
    /// Bindings that apply everywhere unless the active context overrides them.
    Global,
    /// A table view (dashboard, risks, assets, threats, controls, SoA, environment).
    Table,
    /// An edit form.
    Form,
    /// A fuzzy picker (e.g. linking an Annex A control).
    Picker,
    /// The command palette.
    Palette,
    /// A yes/no confirmation.
    Confirm,
    /// The help screen.
    Help,
    /// Typing a table filter.
    Filter,
    /// The focus view (one risk on the projector): its own keys (`n`, `p`
    /// through the review queue) over the table's, which apply there too.
    Focus,
}

impl Context {
    /// Every context, in declaration (and sort) order.
    pub const ALL: [Context; 9] = [
        Context::Global,
        Context::Table,
        Context::Form,
        Context::Picker,
        Context::Palette,
        Context::Confirm,
        Context::Help,
        Context::Filter,
        Context::Focus,
    ];

    /// The lower-case name used in keymap files.
    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::Table => "table",
            Context::Form => "form",
            Context::Picker => "picker",
            Context::Palette => "palette",
            Context::Confirm => "confirm",
            Context::Help => "help",
            Context::Filter => "filter",
            Context::Focus => "focus",
        }
    }

    /// The context whose bindings apply where this one binds nothing
    /// (before `global`): the focus view is a view, so every table key
    /// works there unless the focus context rebinds it.
    pub fn parent(self) -> Option<Context> {
        match self {
            Context::Focus => Some(Context::Table),
            _ => None,
        }
    }

    /// Contexts where printable characters are typed as text. In these, a
    /// global binding whose first key is a plain printable character (such as
    /// `"q": Quit`) is not inherited; the context's own bindings still apply.
    pub fn is_text_input(self) -> bool {
        matches!(
            self,
            Context::Form | Context::Picker | Context::Palette | Context::Filter
        )
    }
}

impl fmt::Display for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
