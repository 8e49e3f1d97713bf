//! End to end: the real binary in a pseudo-terminal, read back through a
//! terminal emulator (vt100), like a user at a keyboard.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test
#![allow(unsafe_code)] // libc write and poll on the pseudo-terminal

mod common;

use std::os::fd::RawFd;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, MasterPty, PtySize, native_pty_system};

/// The binary in a pty. Keys are written and the screen is read through
/// the master's one descriptor (no duplicates), so dropping the master
/// really hangs the terminal up.
struct Session {
    screen: Arc<Mutex<vt100::Parser>>,
    master: Option<Box<dyn MasterPty + Send>>,
    fd: RawFd,
    stop: Arc<AtomicBool>,
    reader: Option<JoinHandle<()>>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Session {
    fn start(args: &[&str], cwd: &Path) -> Session {
        let pty = native_pty_system();
        // A fresh pty is 0×0 and ratatui would draw nothing: size it first.
        let pair = pty
            .openpty(PtySize {
                rows: 40,
                cols: 120,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_riskbench"));
        cmd.args(args);
        cmd.cwd(cwd);
        cmd.env("TERM", "xterm-256color");
        // No user keymap override from the machine running the tests.
        cmd.env("XDG_CONFIG_HOME", cwd.join("no-config"));
        // Recovery files that cannot go beside the register go here, not
        // into the home of the machine running the tests.
        cmd.env("XDG_STATE_HOME", cwd.join("state"));
        let child = pair.slave.spawn_command(cmd).expect("spawn riskbench");
        drop(pair.slave);
        let fd = pair.master.as_raw_fd().expect("the master's descriptor");
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(40).unwrap(),
            std::num::NonZeroU16::new(120).unwrap(),
            0,
        )));
        let stop = Arc::new(AtomicBool::new(false));
        let reader = {
            let sink = Arc::clone(&screen);
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || read_screen(fd, &sink, &stop))
        };
        Session {
            screen,
            master: Some(pair.master),
            fd,
            stop,
            reader: Some(reader),
            child,
        }
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Waits until `text` is on the screen: what a test waits for before
    /// its next keys, never a fixed pause. The 20 s only guard against a
    /// hang.
    fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        panic!(
            "timed out waiting for {text:?}; screen:\n{}",
            self.contents()
        );
    }

    fn send(&mut self, bytes: &[u8]) {
        assert!(self.master.is_some(), "the terminal was hung up");
        let mut rest = bytes;
        while !rest.is_empty() {
            // SAFETY: the master descriptor is open (held in self.master)
            // and `rest` is a valid buffer of its length.
            let n = unsafe { libc::write(self.fd, rest.as_ptr().cast(), rest.len()) };
            assert!(
                n > 0,
                "write to the pty: {}",
                std::io::Error::last_os_error()
            );
            rest = &rest[n as usize..];
        }
    }

    /// Writes `bytes` from another thread (the pty takes a few KiB at a
    /// time, as fast as the program reads them). Small writes, each only
    /// when poll(2) says there is room, so the thread never blocks for good
    /// once the program stops reading: it gives up when `stop` is set or
    /// after 60 s. Join it before the session is dropped: it answers how
    /// many bytes it did not write.
    fn send_in_background(&self, bytes: Vec<u8>, stop: Arc<AtomicBool>) -> JoinHandle<usize> {
        let fd = self.fd;
        std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(60);
            let mut rest = &bytes[..];
            while !rest.is_empty() && !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
                let mut p = libc::pollfd {
                    fd,
                    events: libc::POLLOUT,
                    revents: 0,
                };
                // SAFETY: one valid pollfd; the master descriptor stays
                // open until the session is dropped, after this thread.
                if unsafe { libc::poll(&mut p, 1, 50) } <= 0 || p.revents & libc::POLLOUT == 0 {
                    continue;
                }
                let chunk = rest.len().min(64);
                // SAFETY: as above; `rest` holds at least `chunk` bytes.
                let n = unsafe { libc::write(fd, rest.as_ptr().cast(), chunk) };
                if n <= 0 {
                    break;
                }
                rest = &rest[n as usize..];
            }
            rest.len()
        })
    }

    fn bracketed_paste(&self) -> bool {
        self.screen.lock().unwrap().screen().bracketed_paste()
    }

    fn pid(&self) -> libc::pid_t {
        let pid = self.child.process_id().expect("the child's pid");
        libc::pid_t::try_from(pid).unwrap()
    }

    /// Waits up to `limit` for the child to exit; kills it and fails the
    /// test when it is still running.
    fn wait_exit_within(&mut self, limit: Duration) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                self.finish_reading();
                return status;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        panic!(
            "riskbench still running {limit:?} later; screen:\n{}",
            self.contents()
        );
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        self.wait_exit_within(Duration::from_secs(20))
    }

    /// After the child exited: lets the reader take in the last output
    /// (it stops at end of input), then stops it.
    fn finish_reading(&mut self) {
        if self.master.is_some() {
            let deadline = Instant::now() + Duration::from_secs(5);
            while Instant::now() < deadline
                && self.reader.as_ref().is_some_and(|r| !r.is_finished())
            {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        self.stop_reader();
    }

    fn stop_reader(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(r) = self.reader.take() {
            r.join().expect("the reader thread");
        }
    }

    /// Closes the terminal (its window closed, the connection dropped):
    /// the master's only descriptor goes away.
    fn hang_up(&mut self) {
        self.stop_reader();
        drop(self.master.take());
    }

    /// Whether the terminal is in the alternate screen and the cursor is
    /// hidden, as the emulator saw the output.
    fn terminal_modes(&self) -> (bool, bool) {
        let p = self.screen.lock().unwrap();
        (p.screen().alternate_screen(), p.screen().hide_cursor())
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        // Before the master (a later field) closes the descriptor.
        self.stop_reader();
    }
}

/// Feeds the pty's output to the emulator until end of input or `stop`.
fn read_screen(fd: RawFd, sink: &Mutex<vt100::Parser>, stop: &AtomicBool) {
    let mut buf = [0u8; 8192];
    while !stop.load(Ordering::Relaxed) {
        let mut p = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd; the descriptor outlives this thread
        // (the session joins it before closing the master).
        let n = unsafe { libc::poll(&mut p, 1, 50) };
        if n <= 0 {
            continue;
        }
        if p.revents & libc::POLLIN == 0 {
            // Hung up or an error with nothing left to read.
            return;
        }
        // SAFETY: reading into a buffer of its own length.
        let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        if n <= 0 {
            return;
        }
        if let Ok(mut parser) = sink.lock() {
            parser.process(&buf[..n as usize]);
        }
    }
}

#[test]
fn quick_score_save_and_quit_in_a_real_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("northwind.ron");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("registers/northwind.ron"),
        &file,
    )
    .unwrap();

    // The risk that the Risks view selects first: highest residual.
    let loaded = riskbench::store::load_file(&file).unwrap();
    let mut probe = common::app_with(loaded.register.clone());
    probe.handle_keys("2").unwrap();
    let index = probe.selected_item().unwrap();
    let before = loaded.register.risks[index].clone();
    let new_likelihood = if before.likelihood == 1 { 2 } else { 1 };

    let mut s = Session::start(&["northwind.ron", "--today", "2026-12-01"], dir.path());
    s.wait_for("Northwind");
    s.send(b"2");
    s.wait_for(&before.id);
    s.send(format!("L{new_likelihood}").as_bytes());
    s.send(b"\x13"); // ctrl-s
    s.wait_for("Saved");
    s.send(b"q");
    let status = s.wait_exit();
    assert!(status.success(), "exit status {status:?}");

    let after = riskbench::store::load_file(&file).unwrap().register;
    assert_eq!(after.risks[index].id, before.id);
    assert_eq!(after.risks[index].likelihood, new_likelihood);
    // Nothing else changed.
    let mut expected = loaded.register.clone();
    expected.risks[index].likelihood = new_likelihood;
    assert_eq!(after, expected);
    // The saved file still passes check and the previous version is kept.
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_riskbench"))
        .args(["check", "--today", "2026-12-01"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    assert!(dir.path().join("northwind.ron.bak").exists());
}

/// A temporary copy of northwind, and the quick-score edit the tests make:
/// the risk the Risks view selects first, and a likelihood it does not have.
struct Edited {
    dir: tempfile::TempDir,
    file: std::path::PathBuf,
    original: Vec<u8>,
    index: usize,
    id: String,
    likelihood: u32,
    /// The register with the edit.
    expected: riskbench::domain::Register,
}

fn northwind_edit() -> Edited {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("northwind.ron");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("registers/northwind.ron"),
        &file,
    )
    .unwrap();
    let original = std::fs::read(&file).unwrap();
    let loaded = riskbench::store::load_file(&file).unwrap();
    let mut probe = common::app_with(loaded.register.clone());
    probe.handle_keys("2").unwrap();
    let index = probe.selected_item().unwrap();
    let before = &loaded.register.risks[index];
    let likelihood = if before.likelihood == 1 { 2 } else { 1 };
    let mut expected = loaded.register.clone();
    expected.risks[index].likelihood = likelihood;
    Edited {
        id: before.id.to_string(),
        dir,
        file,
        original,
        index,
        likelihood,
        expected,
    }
}

/// Starts riskbench on the copy and makes the edit without saving it.
fn start_with_unsaved_edit(e: &Edited) -> Session {
    let mut s = Session::start(&["northwind.ron", "--today", "2026-12-01"], e.dir.path());
    s.wait_for("Northwind");
    s.send(b"2");
    s.wait_for(&e.id);
    s.send(format!("L{}", e.likelihood).as_bytes());
    // The status line confirms the edit was applied.
    s.wait_for(&format!("{}: likelihood {}", e.id, e.likelihood));
    s
}

/// The edit is in the recovery file, and only there.
fn assert_recovered(e: &Edited) {
    let recover = riskbench::store::recovery::recovery_path(&e.file);
    assert_eq!(recover, e.dir.path().join("northwind.ron.recover.ron"));
    let recovered = riskbench::store::load_file(&recover)
        .unwrap_or_else(|err| panic!("the recovery file does not load: {err}"))
        .register;
    assert_eq!(recovered.risks[e.index].likelihood, e.likelihood);
    assert_eq!(recovered, e.expected);
    assert_eq!(
        std::fs::read(&e.file).unwrap(),
        e.original,
        "the register file was changed"
    );
    assert!(!e.dir.path().join("northwind.ron.bak").exists());
}

fn stopped_by_signal(signal: libc::c_int) {
    let e = northwind_edit();
    let mut s = start_with_unsaved_edit(&e);
    assert_eq!(s.terminal_modes(), (true, true), "not in the TUI yet");
    // SAFETY: sending a signal to our own child process.
    let rc = unsafe { libc::kill(s.pid(), signal) };
    assert_eq!(rc, 0, "kill: {}", std::io::Error::last_os_error());
    let status = s.wait_exit();
    assert_eq!(status.signal(), None, "killed by the signal: {status:?}");
    assert_eq!(
        status.exit_code(),
        128 + signal as u32,
        "exit status {status:?}; screen:\n{}",
        s.contents()
    );
    assert_recovered(&e);
    // The terminal was restored: main screen, cursor visible; and the user
    // is told where the edits went.
    assert_eq!(
        s.terminal_modes(),
        (false, false),
        "(alternate screen, hidden cursor) after exit; screen:\n{}",
        s.contents()
    );
    let screen = s.contents();
    assert!(
        screen.contains("unsaved edits written to"),
        "screen:\n{screen}"
    );
}

#[test]
fn sigterm_writes_unsaved_edits_to_the_recovery_file_and_restores_the_terminal() {
    stopped_by_signal(libc::SIGTERM);
}

#[test]
fn sighup_writes_unsaved_edits_to_the_recovery_file_and_restores_the_terminal() {
    stopped_by_signal(libc::SIGHUP);
}

#[test]
fn a_hung_up_terminal_ends_the_session_and_keeps_the_edits() {
    let e = northwind_edit();
    let mut s = start_with_unsaved_edit(&e);
    s.hang_up();
    // It must notice and exit, not spin on a dead terminal.
    let status = s.wait_exit_within(Duration::from_secs(5));
    assert_eq!(status.signal(), None, "killed: {status:?}");
    assert_eq!(status.exit_code(), 128 + libc::SIGHUP as u32, "{status:?}");
    assert_recovered(&e);
}

#[test]
fn the_recovery_file_is_offered_at_the_next_start() {
    let e = northwind_edit();
    let mut s = start_with_unsaved_edit(&e);
    // SAFETY: sending a signal to our own child process.
    assert_eq!(unsafe { libc::kill(s.pid(), libc::SIGTERM) }, 0);
    s.wait_exit();
    drop(s);

    let mut s = Session::start(&["northwind.ron", "--today", "2026-12-01"], e.dir.path());
    s.wait_for("Recover unsaved edits");
    s.wait_for(&e.id);
    s.send(b"y");
    s.wait_for("restored");
    s.send(b"\x13"); // ctrl-s
    s.wait_for("Saved");
    s.send(b"q");
    let status = s.wait_exit();
    assert!(status.success(), "{status:?}");
    let saved = riskbench::store::load_file(&e.file).unwrap().register;
    assert_eq!(saved, e.expected);
    assert!(!riskbench::store::recovery::recovery_path(&e.file).exists());
}

/// A large register filtered in the real terminal: keys typed in one burst
/// are all taken, the worker's rows arrive, and they are the rows matching
/// on the spot gives.
#[test]
fn filtering_a_large_register_in_a_real_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.ron");
    let n = riskbench::app::filter::BACKGROUND_MIN_ROWS + 1_000;
    let reg = riskbench::domain::generate::generate(n, 3);
    std::fs::write(&file, riskbench::domain::canonical::to_canonical(&reg)).unwrap();
    let mut probe = common::app_with(reg);
    probe.handle_keys("2 /").unwrap();
    probe.type_text("outage");
    let expected = probe.current_table().rows.len();
    assert!(expected > 0 && expected < n, "{expected}");

    let mut s = Session::start(&["big.ron", "--today", "2026-12-01"], dir.path());
    s.wait_for(&format!("{n} risks"));
    s.send(b"2/outage");
    s.wait_for(&format!("Risks {expected} of {n}"));
    assert!(s.contents().contains("/ outage"), "{}", s.contents());
    s.send(b"\x1b"); // esc: the filter is cleared
    s.wait_for(&format!("Risks {n} "));
    s.send(b"q");
    let status = s.wait_exit();
    assert!(status.success(), "exit status {status:?}");
}

/// Starts riskbench on a copy of northwind with the first risk's edit form
/// open on its title.
fn start_in_title_field() -> (tempfile::TempDir, Session) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("registers/northwind.ron"),
        dir.path().join("northwind.ron"),
    )
    .unwrap();
    let mut s = Session::start(&["northwind.ron", "--today", "2026-12-01"], dir.path());
    s.wait_for("Northwind");
    s.send(b"2");
    s.wait_for("Risks 40");
    s.send(b"e");
    s.wait_for("Edit risk"); // an edit form opens on the title
    (dir, s)
}

/// A 100 KB paste (as a terminal sends it once the program asked for
/// bracketed paste) arrives as one event, is cut to the field's limit with
/// a message, and the next key is handled. (How quickly is not asserted: a
/// time limit in a debug build measures the machine's load.)
#[test]
fn a_100_kb_paste_is_one_event_and_the_next_key_is_handled() {
    let (_dir, mut s) = start_in_title_field();
    assert!(s.bracketed_paste(), "bracketed paste was not switched on");
    let mut paste = b"\x1b[200~".to_vec();
    paste.extend(std::iter::repeat_n(b'x', 100 * 1024));
    paste.extend(b"\x1b[201~");
    let unsent = s
        .send_in_background(paste, Arc::new(AtomicBool::new(false)))
        .join()
        .unwrap();
    assert_eq!(unsent, 0, "the paste was not taken");
    s.wait_for("Pasted text cut");
    // ctrl-s in a form submits it: the change is applied and said.
    s.send(b"\x13");
    s.wait_for("Updated R-");
    s.send(b"q");
    s.wait_for("Unsaved changes");
}

/// Keys typed faster than they are handled (a paste in a terminal without
/// bracketed paste: 100 KB of plain keys) never keep a signal waiting: it
/// ends the session while the keys still pour in. (How quickly is not
/// asserted: a time limit in a debug build measures the machine's load.)
#[test]
fn sigterm_during_a_flood_of_keys_is_honoured() {
    let (_dir, mut s) = start_in_title_field();
    let stop = Arc::new(AtomicBool::new(false));
    let writer = s.send_in_background(vec![b'x'; 100 * 1024], Arc::clone(&stop));
    // The flood has reached the form.
    s.wait_for("xxxxxxxxxxxxxxxx");
    // SAFETY: sending a signal to our own child process.
    assert_eq!(unsafe { libc::kill(s.pid(), libc::SIGTERM) }, 0);
    let status = s.wait_exit_within(Duration::from_secs(10));
    assert_eq!(status.exit_code(), 128 + libc::SIGTERM as u32, "{status:?}");
    stop.store(true, Ordering::Relaxed);
    // Keys were still waiting when it ended: the signal did not wait for
    // the flood to be read.
    let unsent = writer.join().unwrap();
    assert!(
        unsent > 0,
        "all 100 KB were read before the signal was honoured"
    );
}

/// Issue 12: filter, then edit the row shown selected through its form, and
/// save — the item edited in the file is the one the screen showed ▶ on.
#[test]
fn the_item_edited_after_a_filter_is_the_one_shown_selected() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("northwind.ron");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("registers/northwind.ron"),
        &file,
    )
    .unwrap();
    let before = riskbench::store::load_file(&file).unwrap().register;
    let mut s = Session::start(&["northwind.ron", "--today", "2026-12-01"], dir.path());
    s.wait_for("Northwind");
    s.send(b"2");
    s.wait_for("Risks 40");
    // To the last row first: the filter must not leave ▶ down there.
    s.send(b"G/ransomware\r");
    s.wait_for("of 40");
    let screen = s.contents();
    let selected = screen
        .lines()
        .find_map(|l| {
            let at = l.find("▶ R-")?;
            l[at + "▶ ".len()..]
                .split_whitespace()
                .next()
                .map(str::to_string)
        })
        .unwrap_or_else(|| panic!("no selected risk row:\n{screen}"));
    s.send(b"e");
    s.wait_for(&format!("Edit risk {selected}"));
    // The form opens on the title, cursor at its end.
    s.send(b" (edited)\r");
    s.wait_for(&format!("Updated {selected}"));
    s.send(b"\x13"); // ctrl-s
    s.wait_for("Saved");
    s.send(b"q");
    let status = s.wait_exit();
    assert!(status.success(), "{status:?}");

    let after = riskbench::store::load_file(&file).unwrap().register;
    for (a, b) in before.risks.iter().zip(&after.risks) {
        if a.id == selected.as_str() {
            assert_eq!(b.title, format!("{} (edited)", a.title));
        } else {
            assert_eq!(a, b, "{} changed instead of {selected}", a.id);
        }
    }
}
