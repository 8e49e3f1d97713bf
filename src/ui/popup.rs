//! Popup geometry and frame: centred boxes that clear what is under them.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Clear};

use super::theme;

/// A `w`×`h` box centred in `area`, shrunk to fit it.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// Clears `area`, draws a focused popup frame titled `title`, returns the
/// inside.
pub fn frame(frame: &mut Frame, area: Rect, title: Line<'static>) -> Rect {
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme::border_focus())
        .title(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}

/// Like [`frame`] with a bottom title too (a key hint or a position).
pub fn frame_with_bottom(
    frame: &mut Frame,
    area: Rect,
    title: Line<'static>,
    bottom: Line<'static>,
) -> Rect {
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme::border_focus())
        .title(title)
        .title_bottom(bottom);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}
