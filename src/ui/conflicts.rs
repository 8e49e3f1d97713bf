//! The Conflicts list (`C`): one block per conflict of a merged register
//! (entity, id, field, then ours and theirs on lines of their own, since a
//! value can be a whole entity), the highlighted one marked; its frame
//! names the answer keys.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{popup, text, theme};
use crate::app::App;
use crate::domain::merge::WHOLE;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, selected: usize) {
    let conflicts = &app.doc.register().conflicts;
    let w = area.width.saturating_sub(8).min(110);
    let h = (conflicts.len() as u16 * 3 + 4).clamp(7, area.height.saturating_sub(2).max(1));
    let rect = popup::centered(area, w, h);
    let head = Line::styled(
        format!(
            " Merge conflicts: {} — the register holds ours ",
            conflicts.len()
        ),
        theme::title(),
    );
    let bottom = Line::styled(
        " o keep ours · t take theirs · e edit · esc close ",
        theme::dim(),
    );
    let inner = popup::frame_with_bottom(frame, rect, head, bottom);
    if inner.height == 0 || inner.width < 4 {
        return;
    }
    let value = |s: &str| {
        if s.is_empty() {
            "(absent)".to_string()
        } else {
            text::clean(s).into_owned()
        }
    };
    let mut lines = Vec::new();
    for (i, c) in conflicts.iter().enumerate() {
        let field = if c.field == WHOLE {
            "the whole entity".to_string()
        } else {
            c.field.clone()
        };
        let marker = if i == selected { "▶ " } else { "  " };
        let style = if i == selected {
            theme::selected()
        } else {
            ratatui::style::Style::new()
        };
        lines.push(Line::from(Span::styled(
            format!(
                "{marker}{} {} — {}",
                text::clean(&c.entity),
                text::clean(&c.id),
                text::clean(&field)
            ),
            style,
        )));
        lines.push(Line::raw(format!("    ours:   {}", value(&c.ours))));
        lines.push(Line::raw(format!("    theirs: {}", value(&c.theirs))));
    }
    // Keep the highlighted block in sight.
    let visible = inner.height as usize;
    let top = (selected * 3 + 3).saturating_sub(visible);
    let body_area = Rect {
        x: inner.x + 1,
        width: inner.width - 2,
        ..inner
    };
    frame.render_widget(
        Paragraph::new(lines.split_off(top.min(lines.len()))).wrap(Wrap { trim: false }),
        body_area,
    );
}
