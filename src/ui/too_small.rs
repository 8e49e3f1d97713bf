//! The screen for terminals below the minimum size: a centred message and
//! nothing else (drawing the workbench there would only produce garbage).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::{text, theme};

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

pub fn is_too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

/// `waiting`: a question or form is open behind the message.
pub fn draw(frame: &mut Frame, area: Rect, waiting: bool) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let w = area.width as usize;
    let size = format!(
        "need {MIN_WIDTH}×{MIN_HEIGHT}, have {}×{}",
        area.width, area.height
    );
    let one_line = format!("terminal too small: {size}");
    let mut messages = Vec::new();
    if text::width(&one_line) <= w {
        messages.push((one_line, theme::error()));
    } else {
        messages.push(("terminal too small".to_string(), theme::error()));
        messages.push((size, theme::error()));
    }
    messages.push(("enlarge the window".to_string(), theme::dim()));
    if waiting {
        messages.push(("a question is waiting".to_string(), theme::error()));
    }
    let n = messages.len().min(area.height as usize);
    let top = area.y + (area.height - n as u16) / 2;
    for (k, (msg, style)) in messages.into_iter().take(n).enumerate() {
        let line = Line::styled(text::center(&msg, w), style);
        frame.render_widget(line, Rect::new(area.x, top + k as u16, area.width, 1));
    }
}
