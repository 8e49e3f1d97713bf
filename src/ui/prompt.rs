//! A one-line prompt (e.g. "save the example register as").

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};

use super::{form, hints, popup, text, theme};
use crate::app::{Action, App, Prompt};
use crate::keymap::Context;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, prompt: &Prompt) {
    let w = area.width.saturating_sub(8).min(80);
    let rect = popup::centered(area, w, 3);
    let title = Line::styled(
        format!(
            " {} ",
            text::fit(&prompt.title, w.saturating_sub(6) as usize)
        ),
        theme::title(),
    );
    let bottom = hints::line(
        app,
        Context::Form,
        &[(Action::Submit, "ok"), (Action::Cancel, "cancel")],
    );
    let inner = popup::frame_with_bottom(frame, rect, title, bottom);
    if inner.height == 0 || inner.width < 4 {
        return;
    }
    let w = inner.width as usize - 2;
    let (mut spans, cursor) = form::text_spans(&prompt.field, w, true);
    if prompt.field.replaces_on_type() {
        // A suggestion shown selected, like a spreadsheet cell: typing
        // replaces it, ← or backspace edits it.
        for s in &mut spans {
            s.style = theme::selected();
        }
    }
    spans.insert(0, Span::styled("> ", theme::key()));
    frame.render_widget(Line::from(spans), inner);
    frame.set_cursor_position(Position::new(
        inner.x + 2 + cursor.min(w.saturating_sub(1)) as u16,
        inner.y,
    ));
}
