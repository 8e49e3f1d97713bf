//! End to end: the real binary in a pseudo-terminal, read back through a
//! terminal emulator (vt100), like a user at a keyboard.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

struct Session {
    screen: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
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
        let child = pair.slave.spawn_command(cmd).expect("spawn riskbench");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(40).unwrap(),
            std::num::NonZeroU16::new(120).unwrap(),
            0,
        )));
        let sink = Arc::clone(&screen);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                if let Ok(mut p) = sink.lock() {
                    p.process(&buf[..n]);
                }
            }
        });
        // Keep the master alive as long as the session.
        std::mem::forget(pair.master);
        Session {
            screen,
            writer,
            child,
        }
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "timed out waiting for {text:?}; screen:\n{}",
            self.contents()
        );
    }

    fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(150));
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        panic!("riskbench did not exit; screen:\n{}", self.contents());
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
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let mut probe = riskbench::app::App::new(
        loaded.register.clone(),
        None,
        today,
        riskbench::keymap::Keymap::default_keymap(),
    );
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
