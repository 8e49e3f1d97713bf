//! Terminal-independent key presses: parsing (`"ctrl-s"`, `"g g"`) and the
//! canonical spelling used by help screens.
//!
//! Grammar of one key: zero or more modifiers (`ctrl-`, `alt-`, `shift-`, any
//! order, case-insensitive) followed by either a single printable character
//! (`a`, `G`, `?`, `-`) or a key name (`enter`, `esc`, `tab`, `backtab`,
//! `backspace`, `delete`, `insert`, `up`, `down`, `left`, `right`, `home`,
//! `end`, `pgup`, `pgdown`, `space`, `f1`…`f255`; a few aliases such as
//! `return`, `escape`, `del`, `pageup` are accepted). A sequence is keys
//! separated by whitespace: `"g g"`, `"L 3"`; a literal space is `space`.
//!
//! Normalisation (terminals report shift inconsistently): for character keys
//! the shift is folded into the character (`shift-g` is `G`, and `G` with or
//! without the shift flag is the same key); `shift-tab` is `backtab`. Equality,
//! ordering and hashing of [`KeyPress`] all use the normalised form, so a key
//! straight from the terminal compares equal to the parsed binding.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

/// Longest accepted key sequence. Keeps the trie shallow whatever the input.
pub(crate) const MAX_SEQUENCE_LEN: usize = 8;

/// A key, without modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyCode {
    /// A printable character; `' '` is the space bar.
    Char(char),
    Enter,
    Esc,
    Tab,
    /// Shift-Tab.
    BackTab,
    Backspace,
    Delete,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    /// Function key F1…F255.
    F(u8),
    Insert,
}

/// Modifier flags held with a key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Mods {
    pub ctrl: bool,
    pub alt: bool,
    pub shift: bool,
}

impl Mods {
    pub(crate) const NONE: Mods = Mods {
        ctrl: false,
        alt: false,
        shift: false,
    };
    #[cfg(test)]
    pub(crate) const CTRL: Mods = Mods {
        ctrl: true,
        alt: false,
        shift: false,
    };
    #[cfg(test)]
    pub(crate) const ALT: Mods = Mods {
        ctrl: false,
        alt: true,
        shift: false,
    };
    pub const SHIFT: Mods = Mods {
        ctrl: false,
        alt: false,
        shift: true,
    };
}

/// One key press. Compare with `==`: the comparison normalises shift (see the
/// module docs), so the fields may be filled straight from a terminal event.
#[derive(Debug, Clone, Copy)]
pub struct KeyPress {
    pub code: KeyCode,
    pub mods: Mods,
}

/// Why a key string could not be parsed. Displays as
/// ``invalid key `TEXT`: reason`` (a very long `TEXT` is shortened).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyParseError {
    /// The whole text that was being parsed.
    pub input: String,
    /// What is wrong with it.
    pub reason: String,
}

impl fmt::Display for KeyParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.input.is_empty() {
            write!(f, "invalid key: {}", self.reason)
        } else {
            write!(f, "invalid key `{}`: {}", shorten(&self.input), self.reason)
        }
    }
}

impl std::error::Error for KeyParseError {}

/// `s`, cut to a readable length for error messages.
pub(crate) fn shorten(s: &str) -> std::borrow::Cow<'_, str> {
    const MAX: usize = 40;
    match s.char_indices().nth(MAX) {
        None => s.into(),
        Some((i, _)) => format!("{}…", &s[..i]).into(),
    }
}

impl KeyPress {
    /// A key with the given modifiers.
    pub const fn new(code: KeyCode, mods: Mods) -> Self {
        KeyPress { code, mods }
    }

    /// A key without modifiers.
    pub const fn plain(code: KeyCode) -> Self {
        KeyPress {
            code,
            mods: Mods::NONE,
        }
    }

    /// A character key without modifiers.
    pub const fn char(c: char) -> Self {
        Self::plain(KeyCode::Char(c))
    }

    /// The same key in normal form: shift folded into characters (uppercase
    /// letters), `shift-tab` → `backtab`.
    pub fn normalized(self) -> KeyPress {
        let KeyPress { code, mut mods } = self;
        let code = match code {
            KeyCode::Char(c) => {
                let c = if mods.shift { single_uppercase(c) } else { c };
                mods.shift = false;
                KeyCode::Char(c)
            }
            KeyCode::Tab if mods.shift => {
                mods.shift = false;
                KeyCode::BackTab
            }
            KeyCode::BackTab => {
                mods.shift = false;
                KeyCode::BackTab
            }
            other => other,
        };
        KeyPress { code, mods }
    }

    /// A printable character typed without ctrl or alt, i.e. text when a text
    /// field has the focus.
    pub fn is_text(&self) -> bool {
        let k = self.normalized();
        matches!(k.code, KeyCode::Char(_)) && !k.mods.ctrl && !k.mods.alt
    }

    /// Parses one key, e.g. `"ctrl-s"`, `"G"`, `"pgdown"`, `"space"`.
    pub fn parse(s: &str) -> Result<KeyPress, KeyParseError> {
        parse_one(s).map_err(|reason| KeyParseError {
            input: s.to_string(),
            reason,
        })
    }

    fn key(&self) -> (KeyCode, Mods) {
        let n = self.normalized();
        (n.code, n.mods)
    }
}

/// Uppercase `c` when that is a single character (so `ß` stays `ß`).
fn single_uppercase(c: char) -> char {
    let mut up = c.to_uppercase();
    match (up.next(), up.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

impl PartialEq for KeyPress {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for KeyPress {}

impl Hash for KeyPress {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

impl PartialOrd for KeyPress {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for KeyPress {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

impl From<KeyCode> for KeyPress {
    fn from(code: KeyCode) -> Self {
        KeyPress::plain(code)
    }
}

impl FromStr for KeyPress {
    type Err = KeyParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        KeyPress::parse(s)
    }
}

impl fmt::Display for KeyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            KeyCode::Char(' ') => "space",
            KeyCode::Char(c) => return write!(f, "{c}"),
            KeyCode::F(n) => return write!(f, "f{n}"),
            KeyCode::Enter => "enter",
            KeyCode::Esc => "esc",
            KeyCode::Tab => "tab",
            KeyCode::BackTab => "backtab",
            KeyCode::Backspace => "backspace",
            KeyCode::Delete => "delete",
            KeyCode::Up => "up",
            KeyCode::Down => "down",
            KeyCode::Left => "left",
            KeyCode::Right => "right",
            KeyCode::Home => "home",
            KeyCode::End => "end",
            KeyCode::PageUp => "pgup",
            KeyCode::PageDown => "pgdown",
            KeyCode::Insert => "insert",
        };
        f.write_str(name)
    }
}

/// Canonical spelling: `ctrl-` `alt-` `shift-` (in that order) then the key.
impl fmt::Display for KeyPress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let k = self.normalized();
        if k.mods.ctrl {
            f.write_str("ctrl-")?;
        }
        if k.mods.alt {
            f.write_str("alt-")?;
        }
        if k.mods.shift {
            f.write_str("shift-")?;
        }
        write!(f, "{}", k.code)
    }
}

/// Parses a whitespace-separated key sequence such as `"g g"` or `"ctrl-x s"`.
pub fn parse_keys(s: &str) -> Result<Vec<KeyPress>, KeyParseError> {
    let err = |reason: String| KeyParseError {
        input: s.to_string(),
        reason,
    };
    let mut keys = Vec::new();
    for part in s.split_whitespace() {
        if keys.len() == MAX_SEQUENCE_LEN {
            return Err(err(format!(
                "a key sequence has at most {MAX_SEQUENCE_LEN} keys"
            )));
        }
        keys.push(parse_one(part).map_err(err)?);
    }
    if keys.is_empty() {
        return Err(err("empty key (write a space as `space`)".to_string()));
    }
    Ok(keys)
}

/// The canonical text of a key sequence, keys separated by one space.
pub fn format_keys(keys: &[KeyPress]) -> String {
    let mut out = String::new();
    for (i, k) in keys.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&k.to_string());
    }
    out
}

fn parse_one(s: &str) -> Result<KeyPress, String> {
    if s.is_empty() {
        return Err("empty key".to_string());
    }
    let mut mods = Mods::NONE;
    let mut rest = s;
    // A '-' at position 0 is the minus key itself, never a separator.
    while let Some(i) = rest.find('-').filter(|&i| i > 0) {
        let (name, tail) = (&rest[..i], &rest[i + 1..]);
        let flag = match name.to_ascii_lowercase().as_str() {
            "ctrl" => &mut mods.ctrl,
            "alt" => &mut mods.alt,
            "shift" => &mut mods.shift,
            _ => {
                return Err(format!(
                    "unknown modifier `{}` (use ctrl-, alt- or shift-)",
                    shorten(name)
                ));
            }
        };
        if *flag {
            return Err(format!("modifier `{name}-` given twice"));
        }
        *flag = true;
        if tail.is_empty() {
            return Err(format!("missing key after `{name}-`"));
        }
        rest = tail;
    }
    let code = parse_code(rest)?;
    if let KeyCode::Char(c) = code
        && mods.shift
        && !(c.is_uppercase() || single_uppercase(c) != c)
    {
        return Err(format!(
            "shift- only combines with letters and named keys; \
             write the shifted character itself instead of `shift-{c}`"
        ));
    }
    Ok(KeyPress { code, mods }.normalized())
}

fn parse_code(s: &str) -> Result<KeyCode, String> {
    let mut chars = s.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if c.is_control() {
            return Err("control characters are not keys".to_string());
        }
        if c.is_whitespace() {
            return Err("write a space as `space`".to_string());
        }
        return Ok(KeyCode::Char(c));
    }
    let lower = s.to_ascii_lowercase();
    let code = match lower.as_str() {
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "backspace" | "bs" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        "insert" | "ins" => KeyCode::Insert,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pgup" | "pageup" => KeyCode::PageUp,
        "pgdown" | "pgdn" | "pagedown" => KeyCode::PageDown,
        "space" => KeyCode::Char(' '),
        _ => {
            if let Some(num) = lower.strip_prefix('f')
                && !num.is_empty()
                && num.bytes().all(|b| b.is_ascii_digit())
            {
                return match num.parse::<u8>() {
                    Ok(n) if n >= 1 => Ok(KeyCode::F(n)),
                    _ => Err(format!("no function key `{}` (f1 to f255)", shorten(s))),
                };
            }
            return Err(format!("unknown key name `{}`", shorten(s)));
        }
    };
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> KeyPress {
        KeyPress::parse(s).unwrap()
    }

    #[test]
    fn parses_the_documented_spellings() {
        assert_eq!(k("ctrl-s"), KeyPress::new(KeyCode::Char('s'), Mods::CTRL));
        assert_eq!(k("alt-x"), KeyPress::new(KeyCode::Char('x'), Mods::ALT));
        assert_eq!(k("shift-tab"), KeyPress::plain(KeyCode::BackTab));
        assert_eq!(k("backtab"), KeyPress::plain(KeyCode::BackTab));
        assert_eq!(k("enter"), KeyPress::plain(KeyCode::Enter));
        assert_eq!(k("esc"), KeyPress::plain(KeyCode::Esc));
        assert_eq!(k("space"), KeyPress::char(' '));
        assert_eq!(k("pgdown"), KeyPress::plain(KeyCode::PageDown));
        assert_eq!(k("f5"), KeyPress::plain(KeyCode::F(5)));
        assert_eq!(k("G"), KeyPress::char('G'));
        assert_eq!(k("shift-g"), KeyPress::char('G'));
        assert_eq!(k("?"), KeyPress::char('?'));
        assert_eq!(k(":"), KeyPress::char(':'));
        assert_eq!(k("/"), KeyPress::char('/'));
        assert_eq!(k("-"), KeyPress::char('-'));
        assert_eq!(k("ctrl--"), KeyPress::new(KeyCode::Char('-'), Mods::CTRL));
        assert_eq!(k("Ctrl-Alt-Delete").to_string(), "ctrl-alt-delete");
        assert_eq!(k("shift-up").to_string(), "shift-up");
        assert_eq!(k("alt-shift-ctrl-a").to_string(), "ctrl-alt-A");
    }

    #[test]
    fn shift_is_normalised() {
        let g = KeyPress::new(KeyCode::Char('G'), Mods::SHIFT);
        assert_eq!(g, KeyPress::char('G'));
        assert_eq!(KeyPress::new(KeyCode::Char('g'), Mods::SHIFT), g);
        assert_ne!(KeyPress::char('g'), g);
        assert_eq!(
            KeyPress::new(KeyCode::Tab, Mods::SHIFT),
            KeyPress::new(KeyCode::BackTab, Mods::SHIFT)
        );
        assert_eq!(KeyPress::new(KeyCode::Char('?'), Mods::SHIFT), k("?"));
        assert_eq!(g.to_string(), "G");
    }

    #[test]
    fn rejects_bad_keys() {
        for bad in [
            "",
            "ctrl-",
            "hyper-x",
            "ctrl-ctrl-x",
            "foo",
            "f0",
            "f256",
            "--",
            "shift-1",
            "\u{7}",
            "x-y",
        ] {
            assert!(KeyPress::parse(bad).is_err(), "{bad:?} parsed");
        }
        assert!(parse_keys("").is_err());
        assert!(parse_keys("   ").is_err());
        assert!(parse_keys("a b c d e f g h i").is_err());
        let e = KeyPress::parse("hyper-x").unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid key `hyper-x`: unknown modifier `hyper` (use ctrl-, alt- or shift-)"
        );
    }

    #[test]
    fn sequences() {
        assert_eq!(parse_keys("g g").unwrap(), vec![k("g"), k("g")]);
        assert_eq!(format_keys(&parse_keys("L  3").unwrap()), "L 3");
        assert_eq!(
            format_keys(&parse_keys("ctrl-x space").unwrap()),
            "ctrl-x space"
        );
    }
}
