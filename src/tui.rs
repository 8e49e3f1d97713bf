//! The only module that touches the terminal: set-up and restore, the event
//! loop, crossterm keys → [`KeyPress`], and performing the app's effects
//! (saving, quitting).

use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use crossterm::event::{self, Event, KeyEventKind, KeyModifiers};

use crate::app::{App, Effect};
use crate::domain::canonical::to_canonical;
use crate::keymap::{KeyCode, KeyPress, Keymap, Mods};
use crate::store::{self, load::content_hash};

/// The register used when no file is given and `registers/northwind.ron`
/// is not beside the working directory.
pub const EXAMPLE_REGISTER: &str = include_str!("../registers/northwind.ron");

/// Converts a crossterm key event; `None` for keys riskbench has no use for.
pub fn key_from_crossterm(k: &event::KeyEvent) -> Option<KeyPress> {
    use crossterm::event::KeyCode as C;
    let code = match k.code {
        C::Char(c) => KeyCode::Char(c),
        C::Enter => KeyCode::Enter,
        C::Esc => KeyCode::Esc,
        C::Tab => KeyCode::Tab,
        C::BackTab => KeyCode::BackTab,
        C::Backspace => KeyCode::Backspace,
        C::Delete => KeyCode::Delete,
        C::Up => KeyCode::Up,
        C::Down => KeyCode::Down,
        C::Left => KeyCode::Left,
        C::Right => KeyCode::Right,
        C::Home => KeyCode::Home,
        C::End => KeyCode::End,
        C::PageUp => KeyCode::PageUp,
        C::PageDown => KeyCode::PageDown,
        C::F(n) => KeyCode::F(n),
        C::Insert => KeyCode::Insert,
        _ => return None,
    };
    let mods = Mods {
        ctrl: k.modifiers.contains(KeyModifiers::CONTROL),
        alt: k.modifiers.contains(KeyModifiers::ALT),
        shift: k.modifiers.contains(KeyModifiers::SHIFT),
    };
    Some(KeyPress { code, mods }.normalized())
}

/// What the workbench opens.
pub struct Opening {
    pub app: App,
    /// Hash of the file as loaded, to notice changes made behind our back.
    pub disk_hash: Option<u64>,
}

/// Loads the register and keymap for a session; errors are ready to print.
pub fn open(
    file: Option<&Path>,
    keymap: Option<&str>,
    today: NaiveDate,
) -> Result<Opening, String> {
    let keymap = Keymap::load_with_user_override(
        keymap.unwrap_or("default"),
        Keymap::user_override_path().as_deref(),
    )
    .map_err(|e| e.to_string())?;
    let default_path = Path::new("registers/northwind.ron");
    let (register, path, disk_hash) = match file {
        Some(p) => {
            let loaded = store::load_file(p).map_err(|e| e.to_string())?;
            (
                loaded.register,
                Some(p.to_path_buf()),
                Some(loaded.content_hash),
            )
        }
        None if default_path.is_file() => {
            let loaded = store::load_file(default_path).map_err(|e| e.to_string())?;
            (
                loaded.register,
                Some(default_path.to_path_buf()),
                Some(loaded.content_hash),
            )
        }
        None => {
            let loaded =
                store::parse_str("example", EXAMPLE_REGISTER).map_err(|e| e.to_string())?;
            (loaded.register, None, None)
        }
    };
    Ok(Opening {
        app: App::new(register, path, today, keymap),
        disk_hash,
    })
}

/// Performs a save: refuses to overwrite a file that changed on disk since
/// it was loaded (or last saved), then writes atomically.
pub fn save(app: &App, path: &Path, disk_hash: &mut Option<u64>) -> Result<(), String> {
    let same_file = app.path.as_deref() == Some(path);
    if path.exists() {
        let current =
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let expected = if same_file { *disk_hash } else { None };
        if expected != Some(content_hash(&current)) {
            return Err(format!(
                "{} changed on disk (or is another file); not overwritten",
                path.display()
            ));
        }
    }
    let text = to_canonical(&app.register);
    store::save_atomic(path, &text).map_err(|e| e.to_string())?;
    *disk_hash = Some(content_hash(text.as_bytes()));
    Ok(())
}

/// Runs the workbench until the user quits.
pub fn run(file: Option<PathBuf>, keymap: Option<String>, today: NaiveDate) -> i32 {
    let Opening {
        mut app,
        mut disk_hash,
    } = match open(file.as_deref(), keymap.as_deref(), today) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            return 2;
        }
    };
    // ratatui::init installs a panic hook that restores the terminal.
    let mut terminal = ratatui::init();
    let result = event_loop(&mut terminal, &mut app, &mut disk_hash);
    ratatui::restore();
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("riskbench: terminal error: {e}");
            2
        }
    }
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    disk_hash: &mut Option<u64>,
) -> io::Result<()> {
    loop {
        terminal.draw(|frame| crate::ui::draw(frame, app))?;
        if !event::poll(Duration::from_millis(500))? {
            continue;
        }
        let effects = match event::read()? {
            Event::Key(k) if k.kind != KeyEventKind::Release => match key_from_crossterm(&k) {
                Some(key) => app.handle_key(key),
                None => Vec::new(),
            },
            _ => Vec::new(),
        };
        for effect in effects {
            match effect {
                Effect::Quit => return Ok(()),
                Effect::Save(path) => {
                    let result = save(app, &path, disk_hash);
                    app.on_saved(path, result);
                }
            }
        }
    }
}
