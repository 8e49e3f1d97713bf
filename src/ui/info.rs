//! A read-only explanation popup (why a change happened), scrollable; its
//! frame says how to close it (and to scroll, when there is more).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::{hints, popup, text, theme};
use crate::app::{Action, App};
use crate::keymap::Context;

pub fn draw(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    title: &str,
    lines: &[String],
    scroll: usize,
) {
    let w = area.width.saturating_sub(8).min(96);
    let h = (lines.len() as u16 + 4).clamp(6, area.height.saturating_sub(2).max(1));
    let rect = popup::centered(area, w, h);
    let head = Line::styled(
        format!(" {} ", text::fit(title, w.saturating_sub(6) as usize)),
        theme::title(),
    );
    // Scrolling is offered when the lines (wrapping aside) do not fit.
    let overflows = lines.len() as u16 > rect.height.saturating_sub(2);
    let mut items = Vec::new();
    if overflows {
        items.extend([(Action::MoveDown, "down"), (Action::MoveUp, "up")]);
    }
    items.push((Action::ToggleHelp, "close"));
    let bottom = hints::line(app, Context::Help, &items);
    let inner = popup::frame_with_bottom(frame, rect, head, bottom);
    if inner.height == 0 || inner.width < 4 {
        return;
    }
    let body: Vec<Line> = lines
        .iter()
        .skip(scroll.min(lines.len().saturating_sub(1)))
        .map(|l| Line::raw(text::clean(l).into_owned()))
        .collect();
    let body_area = Rect {
        x: inner.x + 1,
        width: inner.width - 2,
        ..inner
    };
    frame.render_widget(Paragraph::new(body).wrap(Wrap { trim: false }), body_area);
}
