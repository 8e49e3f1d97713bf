//! The command palette and the fuzzy picker (one widget: a query line over a
//! ranked list, matched characters highlighted, hints dimmed on the right).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::{hints, popup, text, theme};
use crate::app::App;
use crate::app::palette::VimCommand;
use crate::app::picker::Picker;
use crate::keymap::Context;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, picker: &Picker, palette: bool) {
    // A vim command (`:wq`) is what enter does: shown first, selected.
    let vim = palette.then(|| VimCommand::parse(&picker.query)).flatten();
    let w = area.width.saturating_sub(8).clamp(20, 96);
    let h = (picker.matches.len() as u16 + 4 + u16::from(vim.is_some()))
        .clamp(6, 24)
        .min(area.height.saturating_sub(2));
    let rect = popup::centered(area, w, h);
    let ctx = if palette {
        Context::Palette
    } else {
        Context::Picker
    };
    let title_text = picker.title.clone();
    let title = Line::from(vec![Span::styled(
        format!(" {} ", text::fit(&title_text, w.saturating_sub(6) as usize)),
        theme::title(),
    )]);
    let bottom = hints::line(
        app,
        ctx,
        &[
            (crate::app::Action::Submit, "choose"),
            (crate::app::Action::MoveDown, "next"),
            (crate::app::Action::MoveUp, "prev"),
            (crate::app::Action::Cancel, "close"),
        ],
    );
    let inner = popup::frame_with_bottom(frame, rect, title, bottom);
    if inner.height == 0 || inner.width < 4 {
        return;
    }
    let iw = inner.width as usize;
    // Query line with a count on the right.
    let count = format!("{}/{}", picker.matches.len(), picker.choices.len());
    let qw = iw.saturating_sub(text::width(&count) + 3);
    let query = text::clean(&picker.query).into_owned();
    // Keep the end of a long query visible.
    let q_shown: String = {
        let w = text::width(&query);
        if w < qw {
            query
        } else {
            let mut acc = 0;
            let mut tail: Vec<char> = Vec::new();
            for c in query.chars().rev() {
                let cw = text::char_width(c);
                if acc + cw + 2 > qw {
                    break;
                }
                acc += cw;
                tail.push(c);
            }
            let mut s = String::from("…");
            s.extend(tail.into_iter().rev());
            s
        }
    };
    let qline = Line::from(vec![
        Span::styled("> ", theme::key()),
        Span::raw(q_shown.clone()),
        Span::styled("█", theme::key()),
        Span::raw(" ".repeat(qw.saturating_sub(text::width(&q_shown) + 1))),
        Span::styled(format!(" {count}"), theme::dim()),
    ]);
    frame.render_widget(qline, Rect { height: 1, ..inner });
    if inner.height < 3 {
        return;
    }
    let mut list = Rect {
        y: inner.y + 1,
        height: inner.height - 1,
        ..inner
    };
    if let Some(cmd) = vim {
        let line_rect = Rect { height: 1, ..list };
        frame.render_widget(
            Line::from(vec![
                Span::styled("▶ ", theme::key()),
                Span::raw(text::fit(cmd.describe(), iw.saturating_sub(2))),
            ]),
            line_rect,
        );
        frame.buffer_mut().set_style(
            Rect {
                x: line_rect.x + 2.min(line_rect.width),
                width: line_rect.width.saturating_sub(2),
                ..line_rect
            },
            theme::selected(),
        );
        list.y += 1;
        list.height -= 1;
        if list.height == 0 {
            return;
        }
    }
    if picker.matches.is_empty() {
        if vim.is_none() {
            frame.render_widget(
                Line::styled(text::center("no matches", iw), theme::dim()),
                Rect { height: 1, ..list },
            );
        }
        return;
    }
    let rows = list.height as usize;
    let selected = picker.selected.min(picker.matches.len() - 1);
    let offset = (selected + 1).saturating_sub(rows);
    for (row, (i, idx)) in picker.matches.iter().skip(offset).take(rows).enumerate() {
        let Some(choice) = picker.choices.get(*i) else {
            continue;
        };
        let y = list.y + row as u16;
        let line_rect = Rect::new(list.x, y, list.width, 1);
        let is_sel = offset + row == selected && vim.is_none();
        let hint = text::fit(&choice.hint, iw / 3);
        let hint_w = text::width(&hint);
        let label_w = iw.saturating_sub(hint_w + 3);
        let mut spans = vec![if is_sel {
            Span::styled("▶ ", theme::key())
        } else {
            Span::raw("  ")
        }];
        let label = text::highlighted(&choice.label, idx, label_w, Style::new(), theme::matched());
        let used: usize = label.iter().map(|s| text::width(&s.content)).sum();
        spans.extend(label);
        spans.push(Span::raw(" ".repeat(label_w.saturating_sub(used) + 1)));
        spans.push(Span::styled(hint, theme::dim()));
        frame.render_widget(Line::from(spans), line_rect);
        if is_sel {
            frame.buffer_mut().set_style(
                Rect {
                    x: line_rect.x + 2.min(line_rect.width),
                    width: line_rect.width.saturating_sub(2),
                    ..line_rect
                },
                theme::selected(),
            );
        }
    }
}
