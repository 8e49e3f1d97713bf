//! Edit forms: one line per field (label, value), the focused field with a
//! cursor, choices as `‹ value ›`, references with the referenced item's
//! name, a hint for the focused field, the refusal reason in red, and the
//! form's keys at the bottom.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::{hints, popup, text, theme};
use crate::app::form::{Field, FieldId, FieldKind, Form, FormTarget, RefSource, RiskField};
use crate::app::text_field::TextField;
use crate::app::{Action, App};
use crate::domain::Catalog;
use crate::keymap::Context;

/// Spans of a text field `w` columns wide, scrolled so the cursor shows;
/// also the cursor's column offset.
pub fn text_spans(field: &TextField, w: usize, focused: bool) -> (Vec<Span<'static>>, usize) {
    let chars: Vec<char> = text::clean(&field.text()).chars().collect();
    if !focused {
        return (
            vec![Span::raw(text::fit(&chars.iter().collect::<String>(), w))],
            0,
        );
    }
    let cursor = field.area().cursor().1.min(chars.len());
    let avail = w.saturating_sub(1);
    // Start as far left as possible while the cursor stays visible: walk
    // back from the cursor while the text fits (one pass, however long the
    // field: a frame must not cost more than the text it shows).
    let mut start = cursor;
    let mut fitted = 0;
    while start > 0 {
        let w = text::char_width(chars[start - 1]);
        if fitted + w > avail {
            break;
        }
        fitted += w;
        start -= 1;
    }
    let mut before = String::new();
    let mut used = 0;
    for &c in &chars[start..cursor] {
        used += text::char_width(c);
        before.push(c);
    }
    let at = chars.get(cursor).map_or(" ".to_string(), |c| c.to_string());
    let at_w = text::width(&at).max(1);
    let mut after = String::new();
    let mut rest = w.saturating_sub(used + at_w);
    for &c in chars.iter().skip(cursor + 1) {
        let cw = text::char_width(c);
        if cw > rest {
            break;
        }
        rest -= cw;
        after.push(c);
    }
    (
        vec![
            Span::raw(before),
            Span::styled(at, theme::selected()),
            Span::raw(after),
        ],
        used,
    )
}

fn ref_name(app: &App, source: RefSource, id: &str) -> String {
    let reg = &app.doc.register();
    match source {
        RefSource::Assets => reg
            .assets
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.name.clone()),
        RefSource::Threats => reg
            .threats
            .iter()
            .find(|t| t.id == id)
            .map(|t| t.name.clone()),
        RefSource::Factors => reg
            .factors
            .iter()
            .find(|f| f.id == id)
            .map(|f| f.label.clone()),
        RefSource::Controls => Catalog::annex_a().get(id).map(|c| c.title.clone()),
        RefSource::AnyControl => {
            Catalog::annex_a()
                .get(id)
                .map(|c| c.title.clone())
                .or_else(|| {
                    let own = reg.own_controls.iter().find(|c| c.id == id)?;
                    Some(format!("{} (own)", own.title))
                })
        }
        RefSource::Risks => reg
            .risks
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.title.clone()),
    }
    .unwrap_or_default()
}

/// On a risk's "Accepted by": who may accept it at its current residual
/// level, the first thing to know before typing a name.
fn acceptors_hint(app: &App, form: &Form, field: &Field) -> Option<String> {
    let (FormTarget::Risk(Some(i)), FieldId::Risk(RiskField::AcceptedBy)) = (form.target, field.id)
    else {
        return None;
    };
    crate::app::form::acceptors_hint(app.doc.register(), app.doc.analysis(), i)
}

/// The hint for the focused field.
fn field_hint(app: &App, field: &Field) -> String {
    if let Some(what) = crate::app::form::settings::hint(field.id) {
        return what.into();
    }
    let pick = hints::key(app, Context::Form, Action::LinkControl)
        .map(|k| format!(", {k} pick"))
        .unwrap_or_default();
    // A value the next typed character replaces says so.
    let replaces = match &field.kind {
        FieldKind::Number { text, .. } | FieldKind::Date { text, .. }
            if text.replaces_on_type() =>
        {
            " · type to replace it, ← or backspace to edit it"
        }
        _ => "",
    };
    match &field.kind {
        FieldKind::Text(_) => "type to edit · ←/→ move the cursor".into(),
        FieldKind::Number { min, max, .. } => {
            format!("a whole number from {min} to {max}{replaces}")
        }
        FieldKind::Date { optional, .. } => {
            if *optional {
                format!("a date as YYYY-MM-DD, or empty for none{replaces}")
            } else {
                format!("a date as YYYY-MM-DD{replaces}")
            }
        }
        FieldKind::Choice { .. } => {
            "←/→ or space to change · a letter or digit: the next option starting with it".into()
        }
        FieldKind::Ref { optional, .. } => {
            if *optional {
                format!("type to search{pick}, backspace remove")
            } else {
                format!("type to search{pick}")
            }
        }
        FieldKind::Links { values, .. } if values.is_empty() => {
            format!("type to search{pick}")
        }
        FieldKind::Links { .. } => {
            format!("←/→ highlight · backspace remove the highlighted · type to add{pick}")
        }
        // "c, i, a switch Confidentiality, Integrity, Availability".
        FieldKind::Flags(f) => {
            let letters: Vec<String> = f
                .names
                .iter()
                .map(|(c, _)| c.to_lowercase().to_string())
                .collect();
            let names: Vec<&str> = f.names.iter().map(|(_, n)| *n).collect();
            format!(
                "{} switch {} · ←/→ highlight, space switches it",
                letters.join(", "),
                names.join(", ")
            )
        }
    }
}

/// The value spans of one field, `w` wide; the cursor column when focused
/// on a text field.
fn value_spans(
    app: &App,
    field: &Field,
    w: usize,
    focused: bool,
) -> (Vec<Span<'static>>, Option<usize>) {
    match &field.kind {
        FieldKind::Text(t)
        | FieldKind::Number { text: t, .. }
        | FieldKind::Date { text: t, .. } => {
            if !focused && t.text().is_empty() {
                let placeholder = match field.kind {
                    FieldKind::Date { .. } => "YYYY-MM-DD",
                    _ => "",
                };
                return (vec![Span::styled(placeholder, theme::dim())], None);
            }
            let (mut spans, cur) = text_spans(t, w, focused);
            if focused && t.replaces_on_type() {
                // Shown selected, like a spreadsheet cell: typing replaces it.
                for s in &mut spans {
                    s.style = theme::selected();
                }
            }
            (spans, focused.then_some(cur))
        }
        FieldKind::Choice { .. } => {
            let v = field.display();
            let style = if focused { theme::key() } else { Style::new() };
            (
                vec![
                    Span::styled("‹ ", theme::dim()),
                    Span::styled(text::fit(&v, w.saturating_sub(4)), style),
                    Span::styled(" ›", theme::dim()),
                ],
                None,
            )
        }
        FieldKind::Ref { value, source, .. } => match value {
            None => (vec![Span::styled("(none)", theme::dim())], None),
            Some(v) => {
                let name = ref_name(app, *source, v);
                (
                    vec![
                        Span::styled(v.clone(), theme::bold()),
                        Span::raw(" "),
                        Span::styled(name, theme::dim()),
                    ],
                    None,
                )
            }
        },
        FieldKind::Links {
            values, selected, ..
        } => {
            if values.is_empty() {
                return (vec![Span::styled("(none)", theme::dim())], None);
            }
            let selected = (*selected).min(values.len() - 1);
            let count = format!("  ({})", values.len());
            // Skip items from the left until the highlighted one fits, so
            // the item backspace would remove is always in view.
            let item_w = |n: usize| text::width(&values[n]) + if n > 0 { 2 } else { 0 };
            let room = w.saturating_sub(text::width(&count));
            let mut start = 0;
            if focused {
                let lead = |start: usize| if start > 0 { 2 } else { 0 };
                while start < selected
                    && lead(start) + (start..=selected).map(item_w).sum::<usize>() > room
                {
                    start += 1;
                }
            }
            let mut spans = Vec::new();
            if start > 0 {
                spans.push(Span::styled("… ", theme::dim()));
            }
            for (n, v) in values.iter().enumerate().skip(start) {
                if n > start {
                    spans.push(Span::styled(", ", theme::dim()));
                }
                let style = if focused && n == selected {
                    theme::selected()
                } else {
                    theme::bold()
                };
                spans.push(Span::styled(text::clean(v).into_owned(), style));
            }
            spans.push(Span::styled(count, theme::dim()));
            (spans, None)
        }
        // "■ C Confidentiality  □ I Integrity  ■ A Availability": what is
        // on in bold, the highlighted flag selected while focused.
        FieldKind::Flags(f) => {
            let mut spans = Vec::new();
            for (n, ((letter, name), on)) in f.names.iter().zip(&f.on).enumerate() {
                if n > 0 {
                    spans.push(Span::raw("  "));
                }
                let mark = if *on { "■" } else { "□" };
                let style = match (focused && n == f.selected, *on) {
                    (true, _) => theme::selected(),
                    (false, true) => theme::bold(),
                    (false, false) => theme::dim(),
                };
                spans.push(Span::styled(format!("{mark} {letter} {name}"), style));
            }
            (spans, None)
        }
    }
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, form: &Form) {
    let label_w = form
        .fields
        .iter()
        .map(|f| text::width(f.label))
        .max()
        .unwrap_or(4)
        + 3;
    let w = area.width.saturating_sub(6).min(96);
    // A refusal may name several things (the risks a smaller scale would
    // leave out of range): it wraps over up to four lines.
    let errors = form
        .error
        .as_ref()
        .map(|e| wrap(&format!("✗ {e}"), w.saturating_sub(2) as usize, 4))
        .unwrap_or_default();
    let error_rows = errors.len().max(1) as u16;
    // Fields, a blank line, the field hint, the error lines.
    let want = form.fields.len() as u16 + 2 + error_rows + 2;
    let h = want.min(area.height.saturating_sub(2));
    let rect = popup::centered(area, w, h);
    let title = Line::styled(
        format!(" {} ", text::fit(&form.title, w.saturating_sub(6) as usize)),
        theme::title(),
    );
    let bottom = hints::line(
        app,
        Context::Form,
        &[
            (Action::NextField, "next"),
            (Action::PrevField, "prev"),
            (Action::Submit, "save"),
            (Action::Cancel, "cancel"),
        ],
    );
    let inner = popup::frame_with_bottom(frame, rect, title, bottom);
    if inner.height == 0 || inner.width < 4 {
        return;
    }
    let iw = inner.width as usize;
    let label_w = label_w.min(iw / 2);
    let value_w = iw.saturating_sub(label_w + 1);
    let field_rows = (inner.height as usize)
        .saturating_sub(2 + error_rows as usize)
        .max(1);
    let focus = form.focus.min(form.fields.len().saturating_sub(1));
    let offset = (focus + 1).saturating_sub(field_rows);
    for (row, (n, field)) in form
        .fields
        .iter()
        .enumerate()
        .skip(offset)
        .take(field_rows)
        .enumerate()
    {
        let y = inner.y + row as u16;
        if y >= inner.bottom() {
            break;
        }
        let focused = n == focus;
        let label_style = if focused { theme::key() } else { theme::dim() };
        let marker = if focused { "▶ " } else { "  " };
        let label = Line::from(vec![
            Span::styled(marker, theme::key()),
            Span::styled(
                text::pad(field.label, label_w.saturating_sub(2)),
                label_style,
            ),
        ]);
        frame.render_widget(label, Rect::new(inner.x, y, label_w as u16, 1));
        let (spans, cursor) = value_spans(app, field, value_w, focused);
        let vx = inner.x + label_w as u16 + 1;
        frame.render_widget(
            text::fit_spans(spans, value_w),
            Rect::new(vx, y, value_w as u16, 1),
        );
        if let Some(c) = cursor {
            let cx = vx + c.min(value_w.saturating_sub(1)) as u16;
            frame.set_cursor_position(Position::new(cx, y));
        }
    }
    // Scroll marks when fields are hidden.
    if offset > 0 || offset + field_rows < form.fields.len() {
        let more = format!(
            "{}–{}/{}",
            offset + 1,
            (offset + field_rows).min(form.fields.len()),
            form.fields.len()
        );
        let mw = text::width(&more) as u16;
        if mw + 2 < inner.width {
            frame.render_widget(
                Span::styled(more, theme::dim()),
                Rect::new(inner.right() - mw, rect.y, mw, 1),
            );
        }
    }
    let hint_y = inner.bottom().saturating_sub(1 + error_rows);
    if let Some(field) = form.fields.get(focus)
        && hint_y > inner.y
    {
        frame.render_widget(
            Line::styled(
                text::fit(
                    &acceptors_hint(app, form, field).unwrap_or_else(|| field_hint(app, field)),
                    iw,
                ),
                theme::dim(),
            ),
            Rect::new(inner.x, hint_y, inner.width, 1),
        );
    }
    let first = inner.bottom().saturating_sub(error_rows).max(inner.y);
    for (n, line) in errors.iter().enumerate() {
        let y = first + n as u16;
        if y >= inner.bottom() {
            break;
        }
        frame.render_widget(
            Line::styled(text::fit(line, iw), theme::error()),
            Rect::new(inner.x, y, inner.width, 1),
        );
    }
}

/// `s` wrapped to `w` columns, at most `max` lines (the last one marked
/// with "…" when more would follow).
fn wrap(s: &str, w: usize, max: usize) -> Vec<String> {
    let mut lines = text::wrap(s, w.max(1));
    if lines.len() > max {
        lines.truncate(max);
        // Drawn with `fit`, which cuts a line too long with "…" too.
        if let Some(last) = lines.last_mut() {
            last.push_str(" …");
        }
    }
    lines
}
