//! A yes/no question.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{hints, popup, text, theme};
use crate::app::{Action, App, Confirm};
use crate::keymap::Context;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, confirm: &Confirm) {
    let w = area.width.saturating_sub(8).min(72);
    let inner_w = w.saturating_sub(4).max(1) as usize;
    // Keep the message's own line breaks (a diff summary); clean each line.
    let lines: Vec<String> = confirm
        .message
        .split('\n')
        .map(|l| text::clean(l).into_owned())
        .collect();
    // Wrapped height, estimated generously (words never split mid-way).
    let wrapped: u16 = lines
        .iter()
        .map(|l| (text::width(l) / inner_w.max(1)) as u16 + 1)
        .sum();
    let h = (wrapped + 5).min(area.height.saturating_sub(2));
    let rect = popup::centered(area, w, h);
    let title = Line::styled(
        format!(
            " {} ",
            text::fit(&confirm.title, w.saturating_sub(6) as usize)
        ),
        theme::warning().add_modifier(ratatui::style::Modifier::BOLD),
    );
    let inner = popup::frame(frame, rect, title);
    if inner.height == 0 || inner.width < 4 {
        return;
    }
    let body = Rect {
        x: inner.x + 1,
        width: inner.width - 2,
        height: inner.height.saturating_sub(1),
        ..inner
    };
    let body_text: Vec<Line> = lines.into_iter().map(Line::raw).collect();
    frame.render_widget(Paragraph::new(body_text).wrap(Wrap { trim: true }), body);
    let mut answer: Vec<Span> = hints::spans(
        app,
        Context::Confirm,
        &[
            (Action::Confirm, "yes"),
            (Action::Deny, "no"),
            (Action::Cancel, "cancel"),
        ],
    );
    answer.retain(|s| !s.content.is_empty());
    let line = text::fit_spans(answer, inner.width as usize).centered();
    frame.render_widget(
        line,
        Rect {
            y: inner.bottom() - 1,
            height: 1,
            ..inner
        },
    );
}
