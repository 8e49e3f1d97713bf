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
    // Answers (when there are more than yes/no) get a line each, below the
    // message, and always stay visible: the message is what gets cut.
    let answers = confirm.answers.len() as u16;
    let answer_rows = if answers > 0 { answers + 1 } else { 0 };
    let pad = if answers > 0 { 3 } else { 5 };
    let h = (wrapped + pad + answer_rows).min(area.height.saturating_sub(2));
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
    let answer_rows = answer_rows.min(inner.height.saturating_sub(1));
    let body = Rect {
        x: inner.x + 1,
        width: inner.width - 2,
        height: inner.height.saturating_sub(1 + answer_rows),
        ..inner
    };
    let body_text: Vec<Line> = lines.into_iter().map(Line::raw).collect();
    frame.render_widget(Paragraph::new(body_text).wrap(Wrap { trim: true }), body);
    for (i, a) in confirm.answers.iter().enumerate() {
        let y = body.bottom() + 1 + i as u16;
        if y >= inner.bottom().saturating_sub(1) {
            break;
        }
        let chosen = i == confirm.selected;
        let style = if chosen {
            theme::selected()
        } else {
            ratatui::style::Style::new()
        };
        let marker = if chosen { "▶ " } else { "  " };
        let spans = vec![
            Span::styled(marker, style),
            Span::styled(format!("{} ", a.key), theme::key()),
            Span::styled(a.label.clone(), style),
        ];
        frame.render_widget(
            text::fit_spans(spans, body.width as usize),
            Rect {
                y,
                height: 1,
                ..body
            },
        );
    }
    let items: &[(Action, &str)] = if confirm.answers.is_empty() {
        &[
            (Action::Confirm, "yes"),
            (Action::Deny, "no"),
            (Action::Cancel, "cancel"),
        ]
    } else {
        &[(Action::Cancel, "cancel")]
    };
    let mut answer: Vec<Span> = hints::spans(app, Context::Confirm, items);
    if !confirm.answers.is_empty() {
        answer.insert(0, Span::styled(" · ", theme::dim()));
        answer.insert(0, Span::styled(" the key or ↑↓ enter", theme::dim()));
    }
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
