//! Drawing: `draw(&App, &mut Frame)`, one module per view or popup. Reads
//! the app state only; never changes the register.

use ratatui::Frame;

use crate::app::App;

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &App) {
    let _ = (frame, app);
}
