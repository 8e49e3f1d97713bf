//! The only module that touches the terminal: set-up and restore, the event
//! loop, crossterm keys → [`KeyPress`], and performing the app's effects
//! (saving, reloading, quitting) — with the safety net around them: the
//! one-writer lock, refusing to overwrite a file changed on disk, the
//! recovery file on panic, SIGTERM/SIGHUP and every 30 s while dirty.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use crossterm::event::{self, Event, KeyEventKind, KeyModifiers};

use crate::app::{App, Effect};
use crate::domain::canonical::to_canonical;
use crate::domain::diff::compare;
use crate::domain::{Analysis, Register};
use crate::keymap::{KeyCode, KeyPress, Keymap, Mods};
use crate::store::lock::{Lock, LockError};
use crate::store::{self, load::content_hash, recovery};

/// The register used when no file is given and `registers/northwind.ron`
/// is not beside the working directory.
pub const EXAMPLE_REGISTER: &str = include_str!("../registers/northwind.ron");

/// How often unsaved edits are written to the recovery file.
pub const AUTOSAVE_EVERY: Duration = Duration::from_secs(30);

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

/// A workbench session: the app and what the runtime keeps beside it.
pub struct Session {
    pub app: App,
    /// Hash of the file as loaded or last saved, to notice changes made
    /// behind our back.
    pub disk_hash: Option<u64>,
    /// Held while the session has the register open (None: read-only, or
    /// no file, or the lock file could not be created).
    pub lock: Option<Lock>,
    /// Revision last written to the recovery file.
    recovered_revision: u64,
    last_autosave: Instant,
    /// Where the last recovery file was written (a fallback location is
    /// announced once).
    recovery_shown: Option<PathBuf>,
    /// The recovery file from last time is still where autosave would
    /// write: it must not be overwritten (moving it aside failed).
    recovery_pinned: bool,
}

/// What differs between two registers, for a person deciding what to keep:
/// the lines of `riskbench diff` (as of `today`), every changed field of
/// every entity included, so a prompt can never say less than `diff` would.
/// "No changes." only when nothing differs.
pub fn diff_lines(old: &Register, new: &Register, today: NaiveDate) -> Vec<String> {
    let (a, b) = (Analysis::new(old, today), Analysis::new(new, today));
    let d = compare(old, &a, new, &b);
    if d.is_empty() {
        return vec!["No changes.".into()];
    }
    crate::domain::diff::diff_text(&d, "the file as loaded", "the other version")
        .lines()
        .skip(2)
        .map(str::to_string)
        .collect()
}

impl Session {
    /// Loads the register and keymap, takes the lock (or opens read-only)
    /// and offers unsaved edits from a recovery file. Errors are ready to
    /// print.
    pub fn open(
        file: Option<&Path>,
        keymap: Option<&str>,
        today: NaiveDate,
        user_keymap: Option<&Path>,
    ) -> Result<Session, String> {
        let keymap = Keymap::load_with_user_override(keymap.unwrap_or("default"), user_keymap)
            .map_err(|e| e.to_string())?;
        let default_path = Path::new("registers/northwind.ron");
        let path = match file {
            Some(p) => Some(p.to_path_buf()),
            None if default_path.is_file() => Some(default_path.to_path_buf()),
            None => None,
        };
        // A symbolic link is resolved once, here: the session reads, locks,
        // saves and recovers the real file (the link stays a link), and
        // `app.path` is that real path, so the title bar shows the file
        // actually written; the message at open names both.
        let mut note = None;
        let path = match path {
            Some(given) => {
                let real = store::real_path(&given).map_err(|e| {
                    format!("{}: cannot resolve the symbolic link: {e}", given.display())
                })?;
                if real != given {
                    note = Some(format!(
                        "{} → {} (a symbolic link: the file it points to is read, locked and saved)",
                        given.display(),
                        real.display()
                    ));
                }
                Some(real)
            }
            None => None,
        };
        let (register, disk_hash) = match &path {
            Some(p) => {
                let loaded = store::load_file(p).map_err(|e| e.to_string())?;
                (loaded.register, Some(loaded.content_hash))
            }
            None => {
                let loaded =
                    store::parse_str("example", EXAMPLE_REGISTER).map_err(|e| e.to_string())?;
                (loaded.register, None)
            }
        };
        let mut app = App::new(register, path.clone(), today, keymap);
        app.history_on_save = path.as_deref().and_then(store::prefs::history_on_save);
        // Typing a filter never waits for matching: keys typed together are
        // matched once, and large tables are matched on a worker thread.
        app.defer_filter = true;
        app.enable_background_filter();
        if let Some(note) = note {
            app.info(note);
        }
        let mut lock = None;
        if let Some(p) = &path {
            if !store::writable(p) {
                // Never silently replaced: a rename would, the directory
                // permitting; the workbench only reads it.
                app.read_only = true;
                app.read_only_reason = "you have no write permission on this file".into();
                let before = app.message.take().map(|(m, _)| format!("{m}. "));
                app.error(format!(
                    "{}Read-only: you have no write permission on {}",
                    before.unwrap_or_default(),
                    p.display()
                ));
            } else {
                match Lock::acquire(p) {
                    Ok(l) => lock = Some(l),
                    Err(LockError::Held) => app.read_only = true,
                    // No lock file possible (read-only directory): open anyway;
                    // saving there will fail with its own message.
                    Err(LockError::Unavailable(_)) => {}
                }
            }
            // Only the writer restores: a read-only second instance must not
            // take over the first one's unsaved edits.
            if !app.read_only {
                match recovery::read(p) {
                    // Identical to the file: nothing to recover.
                    Some(Ok(recovered)) if recovered == *app.doc.register() => recovery::discard(p),
                    Some(Ok(recovered)) => {
                        let summary = diff_lines(app.doc.register(), &recovered, today);
                        app.offer_recovery(recovered, summary);
                    }
                    Some(Err(e)) => app.error(format!("Recovery file unreadable: {e}")),
                    // Files set aside earlier are the user's to open or
                    // delete: say they are there, once, at start.
                    None => {
                        let kept = recovery::kept_aside(p);
                        if let (Some(newest), None) = (kept.last(), &app.message) {
                            app.info(format!(
                                "{} recovery file{} kept aside (newest: {})",
                                kept.len(),
                                if kept.len() == 1 { "" } else { "s" },
                                newest.display()
                            ));
                        }
                    }
                }
            }
        }
        Ok(Session {
            app,
            disk_hash,
            lock,
            recovered_revision: 0,
            last_autosave: Instant::now(),
            recovery_shown: None,
            recovery_pinned: false,
        })
    }

    /// Saves to `path`. Unless `force`, refuses to overwrite a file that
    /// changed on disk since it was loaded or last saved (and any other
    /// existing file): the app is told and offers what to do. True when
    /// the register was written.
    pub fn save(&mut self, path: &Path, force: bool) -> bool {
        self.save_or_ask(path, force, false)
    }

    /// [`Session::save`]; a missing folder is offered for creation first
    /// (`quit`: the save was the quit question's, and quits once it works).
    fn save_or_ask(&mut self, path: &Path, force: bool, quit: bool) -> bool {
        let app = &mut self.app;
        if app.read_only {
            app.error(format!("Read-only: {}; not saved", app.read_only_reason));
            return false;
        }
        if let Some(folder) = path.parent()
            && !folder.as_os_str().is_empty()
            && !folder.exists()
        {
            app.ask_create_folder(path.to_path_buf(), quit);
            return false;
        }
        let same_file = app.path.as_deref() == Some(path);
        if !force && path.exists() {
            let current = match store::read_regular(path, store::load::MAX_FILE_BYTES) {
                Ok(c) => c,
                Err(e) => {
                    app.on_saved(path.to_path_buf(), Err(format!("{}: {e}", path.display())));
                    return false;
                }
            };
            if !same_file {
                app.on_saved(
                    path.to_path_buf(),
                    Err(format!(
                        "{} already exists; choose another name",
                        path.display()
                    )),
                );
                return false;
            }
            if self.disk_hash != Some(content_hash(&current)) {
                let summary = match store::load::parse_bytes(&path.display().to_string(), &current)
                {
                    Ok(disk) => diff_lines(&disk.register, app.doc.register(), app.doc.today()),
                    Err(e) => vec![format!("the file on disk does not load: {e}")],
                };
                app.on_external_change(path.to_path_buf(), summary);
                return false;
            }
        }
        let text = to_canonical(app.doc.register());
        match store::save_atomic(path, &text) {
            Ok(()) => {
                if let Some(old) = app.path.clone()
                    && same_file
                {
                    recovery::discard(&old);
                }
                self.disk_hash = Some(content_hash(text.as_bytes()));
                app.autosave_failure = None;
                app.on_saved(path.to_path_buf(), Ok(()));
                true
            }
            Err(e) => {
                app.on_saved(path.to_path_buf(), Err(e.message));
                false
            }
        }
    }

    /// Reads the file again (after the user chose to drop their edits).
    pub fn reload(&mut self) {
        let Some(path) = self.app.path.clone() else {
            return;
        };
        match store::load_file(&path) {
            Ok(loaded) => {
                self.disk_hash = Some(loaded.content_hash);
                self.app.reload(loaded.register);
                recovery::discard(&path);
            }
            Err(e) => self.app.error(format!("Cannot reload: {e}")),
        }
    }

    /// Writes unsaved edits to the recovery file: `Ok(None)` when there is
    /// nothing to write, `Ok(Some(where))` when written, `Err` (also shown
    /// in the status bar until a later write works) when no recovery file
    /// could be written anywhere.
    pub fn write_recovery(&mut self) -> Result<Option<PathBuf>, String> {
        let Some(path) = self.app.path.clone() else {
            return Ok(None);
        };
        if !self.app.is_dirty() || self.app.read_only {
            return Ok(None);
        }
        self.recovered_revision = self.app.doc.history().revision();
        self.last_autosave = Instant::now();
        let written = if self.recovery_pinned {
            Err(format!(
                "the recovery file from last time ({}) could not be moved aside, \
                 so it is not overwritten",
                recovery::find(&path)
                    .unwrap_or_else(|| recovery::recovery_path(&path))
                    .display()
            ))
        } else {
            recovery::write(&path, self.app.doc.register()).map_err(|e| e.to_string())
        };
        match &written {
            Ok(at) => {
                // Say where once, when it is not beside the register.
                if at.parent() != path.parent() && self.recovery_shown.as_ref() != Some(at) {
                    self.app.info(format!(
                        "Unsaved edits are kept in {} (they cannot be written beside the register)",
                        at.display()
                    ));
                }
                self.recovery_shown = Some(at.clone());
                self.app.autosave_failure = None;
            }
            Err(e) => {
                self.app.error(format!(
                    "Autosave failed: {e}. Save with ctrl-s to keep your edits"
                ));
                self.app.autosave_failure = Some(e.clone());
            }
        }
        written.map(Some)
    }

    /// Called on every tick: autosave to the recovery file every 30 s
    /// while there are edits not yet in it.
    pub fn tick(&mut self) {
        if self.app.is_dirty()
            && self.app.doc.history().revision() != self.recovered_revision
            && self.last_autosave.elapsed() >= AUTOSAVE_EVERY
        {
            // A failure is shown by write_recovery itself.
            let _ = self.write_recovery();
        }
    }

    /// Performs the effects; true when the session should end.
    pub fn perform(&mut self, effects: Vec<Effect>) -> bool {
        for effect in effects {
            match effect {
                Effect::Quit => {
                    // Quitting is deliberate (unsaved edits were confirmed
                    // as discarded): nothing left to recover.
                    if let (Some(path), false) = (&self.app.path, self.app.read_only) {
                        recovery::discard(path);
                    }
                    return true;
                }
                Effect::Save(path) => {
                    self.save(&path, false);
                }
                Effect::RememberHistoryOnSave(name) => {
                    if let Some(path) = self.app.path.clone()
                        && let Err(e) =
                            store::prefs::remember_history_on_save(&path, name.as_deref())
                    {
                        self.app
                            .error(format!("The choice is not remembered for next time: {e}"));
                    }
                }
                Effect::ForceSave(path) => {
                    self.save(&path, true);
                }
                Effect::SaveThenQuit(path) => {
                    if self.save_or_ask(&path, false, true) {
                        return true;
                    }
                }
                Effect::CreateFolderAndSave { path, quit } => {
                    let folder = path.parent().map(Path::to_path_buf).unwrap_or_default();
                    match std::fs::create_dir_all(&folder) {
                        Ok(()) => {
                            if self.save(&path, false) && quit {
                                return true;
                            }
                        }
                        Err(e) => self.app.error(format!(
                            "Cannot create the folder {}: {e}; not saved",
                            folder.display()
                        )),
                    }
                }
                Effect::ExportSoa(path) if path.exists() || path.is_symlink() => {
                    self.app.ask_export_exists(path);
                }
                Effect::ExportUnderNewName(path) => {
                    let free = free_name(&path);
                    self.export_soa(&free);
                }
                Effect::ReplaceExport(path) => self.export_soa(&path),
                Effect::KeepRecoveryAside => {
                    let Some(path) = self.app.path.clone() else {
                        continue;
                    };
                    match recovery::keep_aside(&path) {
                        Ok(kept) => self
                            .app
                            .info(format!("Recovery file kept as {}", kept.display())),
                        Err(e) => {
                            self.recovery_pinned = true;
                            self.app.error(format!(
                                "Could not move the recovery file aside ({e}); it stays as it is \
                                 and is offered again next time"
                            ));
                        }
                    }
                }
                Effect::DiscardRecovery => {
                    if let Some(path) = &self.app.path {
                        recovery::discard(path);
                        self.app.info("Recovery file deleted");
                    }
                }
                Effect::Reload => self.reload(),
                Effect::CopyToClipboard(text) => crate::clipboard::copy(&text),
                Effect::ExportSoa(path) => self.export_soa(&path),
                Effect::WriteMinutes(m) => self.app.minutes_written(m.write(), m),
            }
        }
        false
    }

    /// Writes the SoA workbook. Never over a register, through a symbolic
    /// link or over a file that is not a workbook; over a workbook only when
    /// the user said so (an existing file is asked about first).
    fn export_soa(&mut self, path: &Path) {
        let app = &mut self.app;
        let written = store::check_export(path)
            .and_then(|()| crate::export::write_xlsx(app.doc.register(), app.doc.analysis(), path));
        match written {
            Ok(()) => app.info(format!("SoA workbook written to {}", path.display())),
            Err(e) => app.error(format!("Export failed: {e}")),
        }
    }
}

/// The first name `STEM-N.EXT` (N = 2, 3, …) beside `path` that is free.
fn free_name(path: &Path) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    (2u32..)
        .map(|n| path.with_file_name(format!("{stem}-{n}{ext}")))
        .find(|p| !p.exists() && !p.is_symlink())
        .unwrap_or_else(|| path.to_path_buf())
}

/// Runs the workbench until the user quits. A file that is not there must
/// have been offered for creation before (`cli::new::open`): the runtime
/// asks nothing outside the terminal. `present`: open in the focus view on
/// the review queue's first risk (`--present`, see [`App::present`]).
pub fn run(file: Option<PathBuf>, keymap: Option<String>, today: NaiveDate, present: bool) -> i32 {
    let user = Keymap::user_override_path();
    let mut session =
        match Session::open(file.as_deref(), keymap.as_deref(), today, user.as_deref()) {
            Ok(s) => s,
            Err(e) => {
                // Names and messages come from the user's files.
                eprintln!("{}", crate::escape::for_terminal(&e));
                return 2;
            }
        };
    if present {
        session.app.present();
    }
    // SIGTERM and SIGHUP set a flag the loop checks between events; the
    // loop then writes the recovery file and restores the terminal.
    let signal = Arc::new(AtomicUsize::new(0));
    for sig in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        let _ = signal_hook::flag::register_usize(sig, Arc::clone(&signal), sig as usize);
    }
    // Restore the terminal on a panic before the message is printed. Our
    // own hook rather than ratatui's: it must not itself panic when the
    // terminal is already gone (a panic in a panic hook aborts).
    let default_hook = std::panic::take_hook();
    let mut terminal = match ratatui::try_init() {
        Ok(t) => {
            enable_paste();
            t
        }
        Err(e) => {
            let _ = ratatui::try_restore();
            std::panic::set_hook(default_hook);
            eprintln!(
                "riskbench: cannot use this terminal: {}",
                crate::escape::for_terminal(&e.to_string())
            );
            return 2;
        }
    };
    let _ratatui_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // Only the main thread's panic ends the session. A helper thread's
        // (the filter worker, a matcher) must neither restore the terminal
        // under the running app nor print over its screen: the app notices
        // the helper is gone and carries on without it.
        if std::thread::current().name() == Some("main") {
            restore_terminal();
            default_hook(info);
        }
    }));
    let ended = Arc::new(std::sync::atomic::AtomicBool::new(false));
    spawn_signal_watchdog(Arc::clone(&signal), Arc::clone(&ended));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        event_loop(&mut terminal, &mut session, &signal)
    }));
    // The loop ended by itself: the watchdog stands down, and the recovery
    // file below is written however long it takes.
    ended.store(true, Ordering::Relaxed);
    let recovered = match &result {
        Ok(Ok(None)) => Ok(None),
        _ => session.write_recovery(),
    };
    let _ = terminal.show_cursor();
    restore_terminal();
    // Dropping a ratatui Terminal shows the cursor and prints (with a
    // panicking eprintln) if that fails, as it does on a hung-up terminal;
    // the terminal is restored already, so skip its drop.
    std::mem::forget(terminal);
    // The terminal may be gone (hang-up): never panic on writing to it.
    let note = |what: &str| {
        use std::io::Write;
        let _ = match &recovered {
            Ok(Some(p)) => writeln!(
                io::stderr(),
                "riskbench: {what}; unsaved edits written to {}",
                p.display()
            ),
            Ok(None) => writeln!(io::stderr(), "riskbench: {what}"),
            Err(e) => writeln!(
                io::stderr(),
                "riskbench: {what}; unsaved edits could NOT be written to a recovery file: {e}"
            ),
        };
    };
    match result {
        Ok(Ok(None)) => 0,
        Ok(Ok(Some(sig))) => {
            note(&format!("stopped by signal {sig}"));
            128 + sig as i32
        }
        Ok(Err(e)) => {
            note(&format!("terminal error: {e}"));
            2
        }
        Err(_) => {
            note("internal error (a bug: please report it)");
            101
        }
    }
}

/// Feeds one terminal event to the app and performs its effects; true when
/// the session should end.
fn handle_event(session: &mut Session, event: Event) -> bool {
    let effects = match event {
        Event::Key(k) if k.kind != KeyEventKind::Release => match key_from_crossterm(&k) {
            Some(key) => session.app.handle_key(key),
            None => Vec::new(),
        },
        // A bracketed paste: the whole text as one event, never as keys
        // (which could be commands, and would be handled one at a time).
        Event::Paste(text) => {
            session.app.paste(&text);
            Vec::new()
        }
        _ => Vec::new(),
    };
    session.perform(effects)
}

/// How long the loop handles keys already typed before it draws again and
/// looks for a signal: keys typed together are still handled together, but
/// a flood (a paste in a terminal without bracketed paste) never keeps the
/// screen and the signals waiting.
const DRAIN_BUDGET: Duration = Duration::from_millis(100);

/// Turns bracketed paste on: a terminal that supports it then sends a
/// paste as one event instead of as typed keys.
fn enable_paste() {
    let _ = crossterm::execute!(io::stdout(), crossterm::event::EnableBracketedPaste);
}

/// Undoes [`enable_paste`] and restores the terminal; never panics (the
/// terminal may be gone).
fn restore_terminal() {
    let _ = crossterm::execute!(io::stdout(), crossterm::event::DisableBracketedPaste);
    let _ = ratatui::try_restore();
}

/// What the terminal's input has for us.
enum Input {
    Ready,
    Idle,
    /// The terminal is gone (its window closed, the ssh connection dropped).
    HungUp,
}

/// Waits up to `timeout` for input on the terminal, noticing a hang-up.
///
/// crossterm 0.29 spins forever reading an input that is at end-of-file
/// (a closed pty reads 0 bytes), so the runtime asks poll(2) first and
/// only hands the terminal to crossterm when there is something to read.
fn wait_for_input(timeout: Duration) -> io::Result<Input> {
    // A terminal that hung up since the last look must never reach
    // crossterm, whose reader loops forever on a descriptor at end of file.
    if stdin_hung_up() {
        return Ok(Input::HungUp);
    }
    // Events crossterm already read and parsed (several keys arrive in one
    // read) come first: poll(2) cannot see them any more.
    if event::poll(Duration::ZERO)? {
        return Ok(Input::Ready);
    }
    // SAFETY: isatty only inspects the descriptor.
    if unsafe { libc::isatty(libc::STDIN_FILENO) } != 1 {
        // Input comes from elsewhere (crossterm opens /dev/tty): let it poll.
        return Ok(if event::poll(timeout)? {
            Input::Ready
        } else {
            Input::Idle
        });
    }
    let mut fd = libc::pollfd {
        fd: libc::STDIN_FILENO,
        events: libc::POLLIN,
        revents: 0,
    };
    let ms = libc::c_int::try_from(timeout.as_millis()).unwrap_or(libc::c_int::MAX);
    // SAFETY: one valid pollfd, its count, a timeout.
    let n = unsafe { libc::poll(&mut fd, 1, ms) };
    if n < 0 {
        let e = io::Error::last_os_error();
        return if e.kind() == io::ErrorKind::Interrupted {
            Ok(Input::Idle)
        } else {
            Err(e)
        };
    }
    if fd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
        return Ok(Input::HungUp);
    }
    if n == 0 {
        return Ok(Input::Idle);
    }
    // Readable: crossterm now has bytes to read without blocking.
    Ok(if event::poll(Duration::ZERO)? {
        Input::Ready
    } else {
        Input::Idle
    })
}

/// Whether standard input is a terminal that hung up (its window closed,
/// the connection dropped), asked without waiting.
fn stdin_hung_up() -> bool {
    // SAFETY: isatty only inspects the descriptor.
    if unsafe { libc::isatty(libc::STDIN_FILENO) } != 1 {
        return false;
    }
    let mut fd = libc::pollfd {
        fd: libc::STDIN_FILENO,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd, its count, no wait.
    let n = unsafe { libc::poll(&mut fd, 1, 0) };
    n > 0 && fd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
}

/// The last line of defence for "a signal is honoured within a second":
/// the loop looks at the signal flag between events, but a call into the
/// terminal library that never returns (crossterm 0.29 loops forever on a
/// terminal at end of file) would keep it from looking. Once a signal has
/// been waiting `GRACE` without the loop having ended, this thread restores
/// the terminal as far as it can and ends the process (unsaved edits since
/// the last 30-second autosave are then lost; it says so).
fn spawn_signal_watchdog(signal: Arc<AtomicUsize>, ended: Arc<std::sync::atomic::AtomicBool>) {
    const GRACE: Duration = Duration::from_millis(1500);
    let _ = std::thread::Builder::new()
        .name("riskbench-signal-watchdog".into())
        .spawn(move || {
            loop {
                std::thread::sleep(Duration::from_millis(100));
                if ended.load(Ordering::Relaxed) {
                    return;
                }
                let sig = signal.load(Ordering::Relaxed);
                if sig == 0 {
                    continue;
                }
                let since = Instant::now();
                while since.elapsed() < GRACE {
                    if ended.load(Ordering::Relaxed) {
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
                use std::io::Write;
                // Bracketed paste off, main screen, cursor shown; the
                // terminal may be gone, so nothing here may panic.
                let mut out = io::stdout();
                let _ = out.write_all(b"\x1b[?2004l\x1b[?1049l\x1b[?25h");
                let _ = out.flush();
                let _ = writeln!(
                    io::stderr(),
                    "riskbench: stopped by signal {sig} while busy; edits since the last \
                     autosave (every 30 s) may be lost"
                );
                // SAFETY: ends the process at once; no Rust state is used
                // afterwards.
                unsafe { libc::_exit(128 + sig as i32) };
            }
        });
}

/// The loop; `Ok(Some(signal))` when stopped by a signal (a hang-up of the
/// terminal counts as SIGHUP).
fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    session: &mut Session,
    signal: &AtomicUsize,
) -> io::Result<Option<usize>> {
    loop {
        let sig = signal.load(Ordering::Relaxed);
        if sig != 0 {
            return Ok(Some(sig));
        }
        session.app.poll_filter();
        terminal.draw(|frame| crate::ui::draw(frame, &session.app))?;
        session.tick();
        // While the filter worker owes a result, look for it often.
        let wait = if session.app.filter_pending {
            Duration::from_millis(10)
        } else {
            Duration::from_millis(250)
        };
        // A signal interrupts the wait: go round and look at the flag.
        match wait_for_input(wait) {
            Ok(Input::Ready) => {}
            Ok(Input::Idle) => continue,
            Ok(Input::HungUp) => return Ok(Some(signal_hook::consts::SIGHUP as usize)),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
        let event = match event::read() {
            Ok(ev) => ev,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if handle_event(session, event) {
            return Ok(None);
        }
        // Handle the keys already typed before drawing again, and match a
        // filter once for all of them; within a time budget, and never past
        // a signal.
        let started = Instant::now();
        while signal.load(Ordering::Relaxed) == 0
            && started.elapsed() < DRAIN_BUDGET
            && !stdin_hung_up()
            && event::poll(Duration::ZERO)?
        {
            if handle_event(session, event::read()?) {
                return Ok(None);
            }
        }
        session.app.flush_filter();
    }
}
