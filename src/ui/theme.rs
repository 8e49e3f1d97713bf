//! Colours and styles. Only the 16 basic ANSI colours and modifiers are used,
//! so the screen reads the same on a 16-colour terminal (and on a projector
//! whose palette is whatever the laptop's terminal has).
//!
//! Risk levels get a green → yellow → red ramp by their *position* in
//! `method.levels`, so a 3-, 4- or 5-level method all look right.

use ratatui::style::{Color, Modifier, Style};

use crate::domain::{Applicable, ControlStatus, Method};

const RAMP4: [Color; 4] = [Color::Green, Color::Yellow, Color::LightRed, Color::Red];
const RAMP5: [Color; 5] = [
    Color::Green,
    Color::Yellow,
    Color::LightRed,
    Color::Red,
    Color::Magenta,
];

/// Colour of level `index` among `count` levels.
pub fn level_color(index: usize, count: usize) -> Color {
    if count <= 1 {
        return Color::Green;
    }
    let ramp: &[Color] = if count >= 5 { &RAMP5 } else { &RAMP4 };
    let pos = index.min(count - 1) as f64 / (count - 1) as f64 * (ramp.len() - 1) as f64;
    // Round a middle level down (3 levels: green, yellow, red).
    ramp[((pos + 0.49).floor() as usize).min(ramp.len() - 1)]
}

/// Readable text on a level-coloured background.
fn on(bg: Color) -> Style {
    let fg = match bg {
        Color::Red | Color::Magenta | Color::Blue => Color::White,
        _ => Color::Black,
    };
    Style::new().bg(bg).fg(fg)
}

/// Background style of a heat-map cell or a level badge.
pub fn level_bg(method: &Method, level: Option<usize>) -> Style {
    match level {
        Some(i) => on(level_color(i, method.levels.len())),
        None => Style::new().add_modifier(Modifier::REVERSED),
    }
}

/// Foreground style for a level name in a table.
pub fn level_fg(method: &Method, level: Option<usize>) -> Style {
    match level {
        Some(i) => {
            let n = method.levels.len();
            let s = Style::new().fg(level_color(i, n));
            if n > 1 && i + 1 >= n.saturating_sub(1) {
                s.add_modifier(Modifier::BOLD)
            } else {
                s
            }
        }
        None => dim(),
    }
}

pub fn status_style(status: ControlStatus) -> Style {
    match status {
        ControlStatus::Implemented => Style::new().fg(Color::Green),
        ControlStatus::Partial => Style::new().fg(Color::Yellow),
        ControlStatus::Planned => Style::new().fg(Color::Cyan),
        ControlStatus::NotStarted => dim(),
    }
}

pub fn applicable_style(a: Applicable) -> Style {
    match a {
        Applicable::Yes => Style::new().fg(Color::Green),
        Applicable::No => Style::new().fg(Color::LightRed),
        Applicable::Undecided => Style::new().fg(Color::Yellow),
    }
}

pub fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}

pub fn bold() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub fn error() -> Style {
    Style::new()
        .fg(Color::LightRed)
        .add_modifier(Modifier::BOLD)
}

pub fn warning() -> Style {
    Style::new().fg(Color::Yellow)
}

pub fn good() -> Style {
    Style::new().fg(Color::Green)
}

/// Keys in hints and help.
pub fn key() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}

/// Matched characters of a fuzzy search.
pub fn matched() -> Style {
    Style::new()
        .fg(Color::Yellow)
        .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
}

/// A row marked for a bulk edit, and its marker.
pub fn marked() -> Style {
    Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD)
}

/// The selected row of a table or list.
pub fn selected() -> Style {
    Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
}

pub fn header() -> Style {
    Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
}

pub fn border() -> Style {
    Style::new().fg(Color::DarkGray)
}

pub fn border_focus() -> Style {
    Style::new().fg(Color::Cyan)
}

pub fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

/// The title bar and status bar background.
pub fn bar() -> Style {
    Style::new().bg(Color::Blue).fg(Color::White)
}

pub fn tab_active() -> Style {
    Style::new()
        .bg(Color::Cyan)
        .fg(Color::Black)
        .add_modifier(Modifier::BOLD)
}

pub fn dirty() -> Style {
    Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
}

pub fn banner() -> Style {
    Style::new()
        .bg(Color::Red)
        .fg(Color::White)
        .add_modifier(Modifier::BOLD)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ramps_by_position() {
        let four: Vec<Color> = (0..4).map(|i| level_color(i, 4)).collect();
        assert_eq!(four, RAMP4);
        let five: Vec<Color> = (0..5).map(|i| level_color(i, 5)).collect();
        assert_eq!(five, RAMP5);
        let three: Vec<Color> = (0..3).map(|i| level_color(i, 3)).collect();
        assert_eq!(three, [Color::Green, Color::Yellow, Color::Red]);
        assert_eq!(level_color(1, 2), Color::Red);
        assert_eq!(level_color(9, 4), Color::Red);
        assert_eq!(level_color(0, 0), Color::Green);
        // Ten levels still start green and end at the top of the ramp.
        assert_eq!(level_color(0, 10), Color::Green);
        assert_eq!(level_color(9, 10), Color::Magenta);
    }
}
