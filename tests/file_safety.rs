//! File safety (issue 11, items 3–7 and 12), with real files in a temporary
//! directory: every file riskbench writes keeps the mode and owner of the
//! file it replaces and never follows a symbolic link planted beside it; a
//! symlinked register is saved through the link and locked once; a register
//! without write permission opens read-only; `-o` never replaces a register
//! and replaces another file only with `--force`; the recovery file falls
//! back to the per-user state directory; a failing `.bak` keeps the old one;
//! special files (FIFOs, devices) are refused without blocking or reading
//! without end. After every failure no temporary file is left behind.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test
#![allow(unsafe_code)] // geteuid, set_var and setrlimit in the child (pre_exec)

mod common;

use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::{p, press, riskbench_in, root, run_command, today};
use riskbench::app::{App, Effect, MessageKind};
use riskbench::domain::Register;
use riskbench::store::{self, recovery};
use riskbench::tui::Session;

/// `XDG_STATE_HOME` for this test process: a temporary directory, set once
/// before any test writes a recovery file, so a fallback never lands in the
/// real home directory.
fn state_home() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        // SAFETY: set once, under the OnceLock, before any test in this
        // binary reads it; std's own environment lock guards the readers.
        unsafe { std::env::set_var("XDG_STATE_HOME", dir.path()) };
        dir
    })
    .path()
}

/// A temporary copy of `registers/northwind.ron`.
fn northwind() -> (tempfile::TempDir, PathBuf) {
    state_home();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("northwind.ron");
    std::fs::copy(root().join("registers/northwind.ron"), &file).unwrap();
    (dir, file)
}

fn open(path: &Path) -> Session {
    state_home();
    Session::open(Some(path), None, today(), None).expect("the register opens")
}

/// The quick-score edit `2 L n` on the first risk of the Risks view.
fn quick_edit(app: &mut App) -> (usize, u32) {
    app.handle_keys("2").unwrap();
    let i = app.selected_item().expect("a risk is selected");
    let new = if app.doc.register().risks[i].likelihood == 1 {
        2
    } else {
        1
    };
    app.handle_keys(&format!("L {new}")).unwrap();
    assert_eq!(
        app.doc.register().risks[i].likelihood,
        new,
        "the edit applied"
    );
    (i, new)
}

fn load(path: &Path) -> Register {
    store::load_file(path).unwrap().register
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn is_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

fn message(app: &App) -> (String, MessageKind) {
    app.message.clone().expect("a message is shown")
}

fn error_message(app: &App) -> String {
    match message(app) {
        (text, MessageKind::Error) => text,
        other => panic!("expected an error message, got {other:?}"),
    }
}

/// No temporary file (`*.tmp*`) is left in `dir`.
fn assert_no_leftovers(dir: &Path) {
    let left: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp"))
        .collect();
    assert!(left.is_empty(), "temporary files left behind: {left:?}");
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// The northwind register with a long comment on top: valid, and not in
/// canonical form (so `fmt` rewrites it).
fn non_canonical(extra: usize) -> String {
    let text = std::fs::read_to_string(root().join("registers/northwind.ron")).unwrap();
    format!("// {}\n{text}", "x".repeat(extra))
}

// ------------------------------------------------ permissions (item 6)

#[test]
fn a_0600_register_stays_0600_after_a_save_and_so_does_its_bak() {
    let (_dir, file) = northwind();
    set_mode(&file, 0o600);
    let mut s = open(&file);
    assert!(!s.app.read_only);
    let (i, new) = quick_edit(&mut s.app);
    press(&mut s, "ctrl-s");
    assert!(!s.app.is_dirty(), "{:?}", s.app.message);
    assert_eq!(load(&file).risks[i].likelihood, new);
    assert_eq!(mode(&file), 0o600, "the save widened the register's mode");
    let bak = file.with_file_name("northwind.ron.bak");
    assert_eq!(
        mode(&bak),
        0o600,
        "the backup is more readable than its file"
    );
}

#[test]
fn a_save_keeps_the_owner_and_group() {
    if !is_root() {
        eprintln!("skipped: only root can give a file to another user to test this");
        return;
    }
    let (_dir, file) = northwind();
    std::os::unix::fs::chown(&file, Some(4321), Some(4322)).unwrap();
    let mut s = open(&file);
    quick_edit(&mut s.app);
    press(&mut s, "ctrl-s");
    assert!(!s.app.is_dirty(), "{:?}", s.app.message);
    let meta = std::fs::metadata(&file).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (4321, 4322), "owner changed");
    let bak = std::fs::metadata(file.with_file_name("northwind.ron.bak")).unwrap();
    assert_eq!((bak.uid(), bak.gid()), (4321, 4322), "backup's owner");
}

#[test]
fn fmt_keeps_a_0600_register_0600() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("r.ron");
    std::fs::write(&file, non_canonical(10)).unwrap();
    set_mode(&file, 0o600);
    let r = run_command(riskbench_in(dir.path()), &["fmt", "r.ron"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("rewritten"), "{}", r.stderr);
    assert_eq!(mode(&file), 0o600);
    assert_eq!(mode(&dir.path().join("r.ron.bak")), 0o600);
}

#[test]
fn import_force_keeps_the_replaced_files_mode() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.ron");
    std::fs::write(&out, "notes, not a register").unwrap();
    set_mode(&out, 0o600);
    let csv = root().join("tests/fixtures/import/comma-multiline.csv");
    let r = run_command(
        riskbench_in(dir.path()),
        &["import", p(&csv), "-o", "out.ron", "--force"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(load(&out).risks.len(), 4);
    assert_eq!(mode(&out), 0o600);
}

#[test]
fn recovery_files_are_created_0600() {
    let (_dir, file) = northwind();
    set_mode(&file, 0o644);
    let written = recovery::write(&file, &load(&file)).unwrap();
    assert_eq!(mode(&written), 0o600);

    let mut s = open(&file);
    quick_edit(&mut s.app);
    let written = s.write_recovery().unwrap().expect("autosave writes");
    assert_eq!(mode(&written), 0o600);
}

#[test]
fn a_register_without_write_permission_opens_read_only_and_is_never_replaced() {
    let (dir, file) = northwind();
    let original = std::fs::read(&file).unwrap();
    set_mode(&file, 0o444);
    let mut s = open(&file);
    assert!(s.app.read_only, "opened writable");
    let msg = message(&s.app).0;
    assert!(msg.contains("no write permission"), "{msg}");
    assert!(msg.contains(&file.display().to_string()), "{msg}");

    s.app.handle_keys("2 L 1").unwrap();
    press(&mut s, "ctrl-s");
    assert!(error_message(&s.app).contains("Read-only"));
    // Even a save the app did not stop (the runtime's own guard).
    s.perform(vec![Effect::ForceSave(file.clone())]);
    assert_eq!(std::fs::read(&file).unwrap(), original);
    assert_eq!(mode(&file), 0o444);
    assert!(!dir.path().join("northwind.ron.bak").exists());
    assert_no_leftovers(dir.path());
}

#[test]
fn fmt_refuses_a_register_without_write_permission() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("r.ron");
    let text = non_canonical(10);
    std::fs::write(&file, &text).unwrap();
    set_mode(&file, 0o444);
    let r = run_command(riskbench_in(dir.path()), &["fmt", "r.ron"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("no write permission"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    assert_eq!(mode(&file), 0o444);
    assert_no_leftovers(dir.path());
}

// ------------------------------------------- symlinked registers (item 4)

/// northwind.ron in a temporary directory and `links/current.ron` pointing
/// at it; returns (dir, real path as the system resolves it, link).
fn linked() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let (dir, file) = northwind();
    let links = dir.path().join("links");
    std::fs::create_dir(&links).unwrap();
    let link = links.join("current.ron");
    symlink(&file, &link).unwrap();
    let real = std::fs::canonicalize(&file).unwrap();
    (dir, real, link)
}

#[test]
fn a_symlinked_register_is_saved_through_the_link() {
    let (dir, real, link) = linked();
    let mut s = open(&link);
    assert_eq!(s.app.path.as_deref(), Some(real.as_path()));
    let msg = message(&s.app).0;
    assert!(msg.contains(&real.display().to_string()), "{msg}");
    assert!(msg.contains("current.ron"), "{msg}");

    let (i, new) = quick_edit(&mut s.app);
    press(&mut s, "ctrl-s");
    assert!(!s.app.is_dirty(), "{:?}", s.app.message);
    assert!(is_symlink(&link), "the link was replaced by a file");
    assert_eq!(
        std::fs::read_link(&link).unwrap(),
        dir.path().join("northwind.ron")
    );
    assert_eq!(load(&real).risks[i].likelihood, new, "the target is stale");
    assert!(real.with_file_name("northwind.ron.bak").exists());
    assert!(!dir.path().join("links/current.ron.bak").exists());
    assert_no_leftovers(dir.path());
    assert_no_leftovers(&dir.path().join("links"));
}

#[test]
fn a_symlinked_register_and_its_target_share_one_lock() {
    let (_dir, real, link) = linked();
    let first = open(&link);
    assert!(!first.app.read_only);
    let second = open(&real);
    assert!(
        second.app.read_only,
        "the target opened writable beside its link"
    );
    drop((first, second));

    let first = open(&real);
    let second = open(&link);
    assert!(
        second.app.read_only,
        "the link opened writable beside its target"
    );
    drop(first);
}

#[test]
fn fmt_rewrites_a_symlinked_register_through_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.ron");
    std::fs::write(&real, non_canonical(10)).unwrap();
    let link = dir.path().join("link.ron");
    symlink("real.ron", &link).unwrap();
    let r = run_command(riskbench_in(dir.path()), &["fmt", "link.ron"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(is_symlink(&link), "the link was replaced by a file");
    let check = run_command(riskbench_in(dir.path()), &["fmt", "--check", "real.ron"]);
    assert_eq!(
        check.code, 0,
        "the target was not rewritten: {}",
        check.stderr
    );
}

// ----------------------------------------------- planted symlinks (item 7)

#[test]
fn a_symlink_planted_at_the_bak_is_refused_and_not_followed() {
    let (dir, file) = northwind();
    let original = std::fs::read(&file).unwrap();
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "victim").unwrap();
    let bak = dir.path().join("northwind.ron.bak");
    symlink(&victim, &bak).unwrap();

    let mut s = open(&file);
    let (i, new) = quick_edit(&mut s.app);
    press(&mut s, "ctrl-s");
    let msg = error_message(&s.app);
    assert!(msg.contains(&bak.display().to_string()), "{msg}");
    assert!(msg.contains("symbolic link"), "{msg}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "victim");
    assert!(is_symlink(&bak));
    assert_eq!(std::fs::read(&file).unwrap(), original);
    assert_eq!(
        s.app.doc.register().risks[i].likelihood,
        new,
        "the edit was lost"
    );
    assert!(s.app.is_dirty());
    assert_no_leftovers(dir.path());
}

#[test]
fn a_symlink_planted_at_a_temporary_name_is_not_followed() {
    let (dir, file) = northwind();
    let original = std::fs::read(&file).unwrap();
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "victim").unwrap();
    let pid = std::process::id();
    let planted = [
        format!("northwind.ron.tmp-{pid}"),
        format!("northwind.ron.recover.ron.tmp-{pid}"),
        "northwind.ron.recover.ron.tmp".to_string(),
    ];
    for name in &planted {
        symlink(&victim, dir.path().join(name)).unwrap();
    }
    let mut s = open(&file);
    quick_edit(&mut s.app);
    press(&mut s, "ctrl-s");
    let msg = error_message(&s.app);
    assert!(msg.contains("symbolic link"), "{msg}");
    let recovered = s.write_recovery().unwrap().expect("written somewhere");
    assert_ne!(recovered.parent(), Some(dir.path()));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "victim");
    assert_eq!(std::fs::read(&file).unwrap(), original);
    for name in &planted {
        assert!(is_symlink(&dir.path().join(name)), "{name} removed");
    }
}

/// Creates the state directory as riskbench does (0700): tests running in
/// parallel must not give it another mode than the one a test checks.
fn private_dir(path: &Path) {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(path)
        .unwrap();
}

#[test]
fn a_symlink_planted_at_the_recovery_file_is_refused_and_the_state_dir_used() {
    let (dir, file) = northwind();
    let victim = dir.path().join("victim.ron");
    std::fs::write(&victim, "victim").unwrap();
    let beside = recovery::recovery_path(&file);
    symlink(&victim, &beside).unwrap();

    let mut reg = load(&file);
    reg.name = "recovered".into();
    let written = recovery::write(&file, &reg).unwrap();
    let state = state_home().join("riskbench/recover");
    assert_eq!(
        written.parent(),
        Some(state.as_path()),
        "{}",
        written.display()
    );
    assert_eq!(mode(&written), 0o600);
    assert_eq!(mode(&state), 0o700);
    assert_eq!(load(&written).name, "recovered");
    assert!(is_symlink(&beside));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "victim");
    assert_no_leftovers(dir.path());
    assert_no_leftovers(&state);
}

#[test]
fn a_symlink_planted_at_the_lock_file_is_not_followed() {
    let (dir, file) = northwind();
    let target = dir.path().join("created-through-the-link");
    symlink(&target, dir.path().join(".northwind.ron.lock")).unwrap();
    let s = open(&file);
    assert!(
        !target.exists(),
        "the lock file was opened through a planted link"
    );
    assert!(s.lock.is_none());
}

// ------------------------------------------ a failing backup (item 5)

/// Runs the binary with a file-size limit (RLIMIT_FSIZE): any write past
/// `limit` bytes fails with EFBIG, even for root, like a full disk would.
fn run_with_file_size_limit(dir: &Path, args: &[&str], limit: u64) -> (i32, String) {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("riskbench"));
    cmd.current_dir(dir).args(args);
    // SAFETY: setrlimit and signal are async-signal-safe.
    unsafe {
        cmd.pre_exec(move || {
            let lim = libc::rlimit {
                rlim_cur: limit as libc::rlim_t,
                rlim_max: limit as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // Fail the write with EFBIG instead of killing the process.
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let code = out
        .status
        .code()
        .unwrap_or_else(|| panic!("{args:?} killed by a signal: {stderr}"));
    (code, stderr)
}

#[test]
fn a_backup_that_fails_midway_keeps_the_previous_bak() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("r.ron");
    // 400 KB of comment: the canonical form (what fmt writes) is ~48 KB,
    // so the new file fits under the limit and the backup copy does not.
    let text = non_canonical(400_000);
    std::fs::write(&file, &text).unwrap();
    let bak = dir.path().join("r.ron.bak");
    std::fs::write(&bak, "the previous good backup").unwrap();

    let (code, stderr) = run_with_file_size_limit(dir.path(), &["fmt", "r.ron"], 200_000);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains(".bak"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&bak).unwrap(),
        "the previous good backup",
        "the old backup was destroyed"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    assert_no_leftovers(dir.path());

    // With room to write, the same command keeps the file as the backup.
    let r = run_command(riskbench_in(dir.path()), &["fmt", "r.ron"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&bak).unwrap(), text);
}

// ------------------------------------------------------ exports (item 3)

fn northwind_in(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::copy(root().join("registers/northwind.ron"), &path).unwrap();
    path
}

fn run_in(dir: &Path, args: &[&str]) -> common::Run {
    let mut all = args.to_vec();
    all.extend(["--today", common::TODAY]);
    run_command(riskbench_in(dir), &all)
}

#[test]
fn an_export_never_replaces_its_register_even_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let reg = northwind_in(dir.path(), "X.ron");
    let original = std::fs::read(&reg).unwrap();
    for cmd in ["risks", "soa"] {
        for format in ["xlsx", "html"] {
            for force in [false, true] {
                let mut args = vec![cmd, "X.ron", "--format", format, "-o", "X.ron"];
                if force {
                    args.push("--force");
                }
                let r = run_in(dir.path(), &args);
                assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
                assert!(r.stderr.contains("is a risk register"), "{}", r.stderr);
                assert_eq!(std::fs::read(&reg).unwrap(), original, "{args:?}");
            }
        }
    }
    assert_no_leftovers(dir.path());
}

#[test]
fn an_export_replaces_another_file_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    northwind_in(dir.path(), "X.ron");
    let out = dir.path().join("notes.html");
    std::fs::write(&out, "my notes").unwrap();
    set_mode(&out, 0o640);
    let r = run_in(
        dir.path(),
        &["soa", "X.ron", "--format", "html", "-o", "notes.html"],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("already exists; pass --force"),
        "{}",
        r.stderr
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "my notes");

    let r = run_in(
        dir.path(),
        &[
            "soa",
            "X.ron",
            "--format",
            "html",
            "-o",
            "notes.html",
            "--force",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(std::fs::read_to_string(&out).unwrap().contains("<html"));
    assert_eq!(mode(&out), 0o640);

    let xlsx = dir.path().join("book.xlsx");
    std::fs::write(&xlsx, "old").unwrap();
    let r = run_in(
        dir.path(),
        &["risks", "X.ron", "--format", "xlsx", "-o", "book.xlsx"],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&xlsx).unwrap(), "old");
    let r = run_in(
        dir.path(),
        &[
            "risks",
            "X.ron",
            "--format",
            "xlsx",
            "-o",
            "book.xlsx",
            "--force",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
    assert_no_leftovers(dir.path());
}

#[test]
fn an_export_never_writes_through_a_symlink() {
    let dir = tempfile::tempdir().unwrap();
    northwind_in(dir.path(), "X.ron");
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "victim").unwrap();
    for (format, name) in [("xlsx", "out.xlsx"), ("html", "out.html")] {
        let link = dir.path().join(name);
        symlink(&victim, &link).unwrap();
        let r = run_in(
            dir.path(),
            &["soa", "X.ron", "--format", format, "-o", name, "--force"],
        );
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(r.stderr.contains("symbolic link"), "{}", r.stderr);
        assert!(r.stderr.contains(name), "{}", r.stderr);
        assert!(is_symlink(&link), "the link was replaced");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "victim");
    }
    assert_no_leftovers(dir.path());
}

/// import, migrate and generate write registers: replacing a register is
/// what `--force` is for (re-importing a spreadsheet, migrating in place),
/// and the replaced one is kept as `.bak`. Without `--force`, never.
#[test]
fn import_migrate_and_generate_replace_a_register_only_with_force_keeping_a_bak() {
    let csv = root().join("tests/fixtures/import/comma-multiline.csv");
    let old = root().join("tests/fixtures/import/register-2013.ron");
    let runs: [Vec<&str>; 3] = [
        vec!["import", p(&csv), "-o", "keep.ron"],
        vec!["migrate", p(&old), "-o", "keep.ron"],
        vec!["generate", "--risks", "3", "-o", "keep.ron"],
    ];
    for args in &runs {
        let dir = tempfile::tempdir().unwrap();
        let reg = northwind_in(dir.path(), "keep.ron");
        let original = std::fs::read(&reg).unwrap();
        let r = run_in(dir.path(), args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("already exists; pass --force"),
            "{args:?}: {}",
            r.stderr
        );
        assert_eq!(std::fs::read(&reg).unwrap(), original, "{args:?}");

        let forced = [args.as_slice(), &["--force"]].concat();
        let r = run_in(dir.path(), &forced);
        assert_eq!(r.code, 0, "{forced:?}: {}", r.stderr);
        assert_ne!(std::fs::read(&reg).unwrap(), original, "{forced:?}");
        load(&reg);
        assert_eq!(
            std::fs::read(dir.path().join("keep.ron.bak")).unwrap(),
            original,
            "{forced:?}: the replaced register is not in .bak"
        );
    }
}

#[test]
fn generate_replaces_an_existing_file_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("notes.txt");
    std::fs::write(&out, "notes").unwrap();
    let r = run_in(dir.path(), &["generate", "--risks", "3", "-o", "notes.txt"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("already exists; pass --force"),
        "{}",
        r.stderr
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "notes");
    let r = run_in(
        dir.path(),
        &["generate", "--risks", "3", "-o", "notes.txt", "--force"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(load(&out).risks.len(), 3);
}

#[test]
fn the_workbench_export_never_replaces_a_register_or_follows_a_symlink() {
    let (dir, file) = northwind();
    let target = riskbench::export::export_path(&file, "xlsx");
    let mut s = open(&file);

    // A register at the export's name stays as it is: the workbench asks
    // first, and even "replace" refuses.
    std::fs::copy(&file, &target).unwrap();
    let before = std::fs::read(&target).unwrap();
    s.perform(vec![Effect::ExportSoa(target.clone())]);
    assert!(matches!(
        s.app.modals.last(),
        Some(riskbench::app::Modal::Confirm(_))
    ));
    s.app.modals.clear();
    assert_eq!(std::fs::read(&target).unwrap(), before);
    s.perform(vec![Effect::ReplaceExport(target.clone())]);
    let msg = error_message(&s.app);
    assert!(msg.contains("is a risk register"), "{msg}");
    assert_eq!(std::fs::read(&target).unwrap(), before);

    // A planted symlink is not followed nor replaced.
    std::fs::remove_file(&target).unwrap();
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "victim").unwrap();
    symlink(&victim, &target).unwrap();
    s.perform(vec![Effect::ReplaceExport(target.clone())]);
    let msg = error_message(&s.app);
    assert!(msg.contains("symbolic link"), "{msg}");
    assert!(is_symlink(&target));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "victim");

    // Its own previous workbook is replaced when the user says so.
    std::fs::remove_file(&target).unwrap();
    s.perform(vec![Effect::ExportSoa(target.clone())]);
    let (msg, kind) = message(&s.app);
    assert_eq!(kind, MessageKind::Info, "{msg}");
    s.perform(vec![Effect::ReplaceExport(target.clone())]);
    let (msg, kind) = message(&s.app);
    assert_eq!(kind, MessageKind::Info, "{msg}");
    assert!(std::fs::read(&target).unwrap().starts_with(b"PK"));
    assert_no_leftovers(dir.path());
}

// ------------------------------------------------ special files (item 12)

/// Runs the binary with stdin closed, at most 1 GiB of address space (a
/// reader that does not stop at its limit dies instead of eating the
/// machine) and 10 seconds: a FIFO that blocks fails the test, it does not
/// hang it. Returns (exit code, stderr).
fn run_bounded(dir: &Path, args: &[&str], env: &[(&str, &Path)]) -> (i32, String) {
    let out = tempfile::NamedTempFile::new().unwrap();
    let err = tempfile::NamedTempFile::new().unwrap();
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("riskbench"));
    cmd.current_dir(dir)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(out.reopen().unwrap())
        .stderr(err.reopen().unwrap());
    for (k, v) in env {
        cmd.env(k, v);
    }
    // SAFETY: setrlimit is async-signal-safe.
    unsafe {
        cmd.pre_exec(|| {
            let lim = libc::rlimit {
                rlim_cur: 1 << 30,
                rlim_max: 1 << 30,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = cmd.spawn().unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("riskbench {args:?} still running after 10 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stderr = std::fs::read_to_string(err.path()).unwrap();
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    let code = status
        .code()
        .unwrap_or_else(|| panic!("riskbench {args:?} killed by a signal: {stderr}"));
    (code, stderr)
}

fn mkfifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo");
}

#[test]
fn check_dev_zero_exits_2_quickly_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr) = run_bounded(dir.path(), &["check", "/dev/zero"], &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.starts_with("/dev/zero: "), "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");
}

#[test]
fn check_a_fifo_exits_2_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.ron");
    mkfifo(&fifo);
    let (code, stderr) = run_bounded(dir.path(), &["check", "pipe.ron"], &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.starts_with("pipe.ron: "), "{stderr}");
    assert!(stderr.contains("FIFO"), "{stderr}");
}

#[test]
fn every_reader_refuses_fifos_and_devices_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    northwind_in(dir.path(), "good.ron");
    mkfifo(&dir.path().join("pipe"));
    let config = dir.path().join("config");
    std::fs::create_dir_all(config.join("riskbench")).unwrap();
    mkfifo(&config.join("riskbench/keymap.ron"));

    for special in ["pipe", "/dev/zero"] {
        let commands: Vec<Vec<&str>> = vec![
            vec!["check", special],
            vec!["soa", special],
            vec!["risks", special],
            vec!["diff", "good.ron", special],
            vec!["fmt", special],
            vec!["fmt", "--check", special],
            vec!["migrate", special, "-o", "out.ron"],
            vec!["import", special, "-o", "out.ron"],
            vec!["keymap", "check", special],
            vec!["--keymap", special, "good.ron"],
        ];
        for args in &commands {
            let (code, stderr) = run_bounded(dir.path(), args, &[]);
            assert_eq!(code, 2, "{args:?}: {stderr}");
            assert!(stderr.contains(special), "{args:?}: {stderr}");
            assert!(stderr.contains("not a regular file"), "{args:?}: {stderr}");
            assert!(!dir.path().join("out.ron").exists(), "{args:?}");
        }
    }
    // The keymap override file is read the same way.
    let (code, stderr) = run_bounded(
        dir.path(),
        &["good.ron"],
        &[("XDG_CONFIG_HOME", config.as_path())],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");
    assert_no_leftovers(dir.path());
}

// ------------------------------- recovery files beside or in the state dir

/// A symbolic link planted at `FILE.recover.ron`, so the recovery file
/// cannot go beside the register.
fn block_beside(file: &Path) -> PathBuf {
    let victim = file.with_file_name("victim.txt");
    std::fs::write(&victim, "victim").unwrap();
    symlink(&victim, recovery::recovery_path(file)).unwrap();
    victim
}

#[test]
fn the_fallback_is_named_after_the_real_path() {
    let (_a, first) = northwind();
    let (_b, second) = northwind();
    let (f1, f2) = (
        recovery::fallback_path(&first).unwrap(),
        recovery::fallback_path(&second).unwrap(),
    );
    assert_ne!(
        f1, f2,
        "two registers of the same name share a recovery file"
    );
    for f in [&f1, &f2] {
        let name = f.file_name().unwrap().to_str().unwrap();
        let hash = name
            .strip_prefix("northwind.ron-")
            .and_then(|n| n.strip_suffix(".recover.ron"))
            .unwrap_or_else(|| panic!("{name}"));
        assert!(
            hash.len() == 16 && hash.chars().all(|c| c.is_ascii_hexdigit()),
            "{name}"
        );
        assert_eq!(
            f.parent(),
            Some(state_home().join("riskbench/recover").as_path())
        );
    }
    // A link and its target are one register.
    let (_dir, real, link) = linked();
    assert_eq!(
        recovery::fallback_path(&link),
        recovery::fallback_path(&real)
    );
}

#[test]
fn find_and_read_look_beside_then_in_the_state_dir() {
    let (dir, file) = northwind();
    let victim = block_beside(&file);
    let mut reg = load(&file);
    reg.name = "in the state dir".into();
    let written = recovery::write(&file, &reg).unwrap();
    assert_eq!(Some(written.clone()), recovery::fallback_path(&file));
    assert_eq!(recovery::find(&file), Some(written.clone()));
    assert_eq!(
        recovery::read(&file).unwrap().unwrap().name,
        "in the state dir"
    );

    // Once the place beside is usable again it is used, and the stale copy
    // in the state directory goes.
    std::fs::remove_file(recovery::recovery_path(&file)).unwrap();
    reg.name = "beside".into();
    let beside = recovery::write(&file, &reg).unwrap();
    assert_eq!(beside, recovery::recovery_path(&file));
    assert!(
        !written.exists(),
        "a stale recovery file stays in the state dir"
    );
    assert_eq!(recovery::find(&file), Some(beside));
    assert_eq!(recovery::read(&file).unwrap().unwrap().name, "beside");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "victim");
    assert_no_leftovers(dir.path());
}

#[test]
fn when_neither_place_can_be_written_the_error_names_both() {
    let (dir, file) = northwind();
    let victim = block_beside(&file);
    let fallback = recovery::fallback_path(&file).unwrap();
    private_dir(fallback.parent().unwrap());
    symlink(&victim, &fallback).unwrap();

    let e = recovery::write(&file, &load(&file))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains(&recovery::recovery_path(&file).display().to_string()),
        "{e}"
    );
    assert!(e.contains(&fallback.display().to_string()), "{e}");
    assert!(e.contains("symbolic link"), "{e}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "victim");
    assert_eq!(recovery::find(&file), None);
    std::fs::remove_file(&fallback).unwrap();
    assert_no_leftovers(dir.path());
    assert_no_leftovers(fallback.parent().unwrap());
}

/// Item 2: when no recovery file can be written anywhere, the workbench
/// says so, and keeps saying it in the status bar until a save.
#[test]
fn a_failed_autosave_stays_in_the_status_bar_until_saved() {
    let (_dir, file) = northwind();
    let victim = block_beside(&file);
    let fallback = recovery::fallback_path(&file).unwrap();
    private_dir(fallback.parent().unwrap());
    symlink(&victim, &fallback).unwrap();
    let mut s = open(&file);
    quick_edit(&mut s.app);
    assert!(s.write_recovery().is_err());
    assert!(error_message(&s.app).contains("Autosave failed"));
    // A later message does not hide it: the status bar keeps the warning.
    s.app.info("something else");
    let screen = common::screen_text(&s.app, 120, 40);
    assert!(screen.contains("autosave failed"), "{screen}");
    // Saving protects the edits: the warning goes.
    let saved = s.app.handle_keys("ctrl-s").unwrap();
    s.perform(saved);
    assert!(!s.app.is_dirty(), "{:?}", s.app.message);
    let screen = common::screen_text(&s.app, 120, 40);
    assert!(!screen.contains("autosave failed"), "{screen}");
    std::fs::remove_file(&fallback).unwrap();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "victim");
}

#[test]
fn the_workbench_autosaves_to_the_state_dir_and_offers_it_back() {
    let (_dir, file) = northwind();
    block_beside(&file);
    let mut s = open(&file);
    let (i, new) = quick_edit(&mut s.app);
    let written = s.write_recovery().unwrap().expect("autosave found a place");
    assert_eq!(Some(written.clone()), recovery::fallback_path(&file));
    assert_eq!(mode(&written), 0o600);
    drop(s);

    let s = open(&file);
    assert!(
        !s.app.modals.is_empty(),
        "the recovery file in the state dir was not offered"
    );
    match recovery::read(&file) {
        Some(Ok(reg)) => assert_eq!(reg.risks[i].likelihood, new),
        other => panic!("{other:?}"),
    }
    drop(s);
    recovery::discard(&file);
    assert!(!written.exists());
}

#[test]
fn keep_aside_renames_with_a_timestamp_and_stops_the_offer() {
    let (dir, file) = northwind();
    let mut reg = load(&file);
    reg.name = "first".into();
    recovery::write(&file, &reg).unwrap();
    let aside = recovery::keep_aside(&file).unwrap();
    let name = aside.file_name().unwrap().to_str().unwrap().to_string();
    let stamp = name
        .strip_prefix("northwind.ron.recover-")
        .and_then(|n| n.strip_suffix(".ron"))
        .unwrap_or_else(|| panic!("{name}"));
    let digits: Vec<&str> = stamp.split('-').collect();
    assert!(
        digits.len() == 2
            && digits[0].len() == 8
            && digits[1].len() == 6
            && stamp.chars().all(|c| c.is_ascii_digit() || c == '-'),
        "{name}"
    );
    assert_eq!(aside.parent(), Some(dir.path()));
    assert_eq!(load(&aside).name, "first");
    assert_eq!(recovery::find(&file), None);
    assert!(recovery::read(&file).is_none());
    let s = open(&file);
    assert!(s.app.modals.is_empty(), "a set-aside file was offered");
    drop(s);

    // A second one in the same second never replaces the first.
    reg.name = "second".into();
    recovery::write(&file, &reg).unwrap();
    let again = recovery::keep_aside(&file).unwrap();
    assert_ne!(again, aside);
    assert_eq!(load(&aside).name, "first");
    assert_eq!(load(&again).name, "second");
    let mut kept = recovery::kept_aside(&file);
    kept.sort();
    let mut want = vec![aside, again];
    want.sort();
    assert_eq!(kept, want);
    assert!(
        recovery::keep_aside(&file).is_err(),
        "nothing left to set aside"
    );
}

#[test]
fn discard_removes_the_recovery_file_wherever_it_is() {
    let (_dir, file) = northwind();
    let beside = recovery::write(&file, &load(&file)).unwrap();
    recovery::discard(&file);
    assert!(!beside.exists());

    block_beside(&file);
    let fallback = recovery::write(&file, &load(&file)).unwrap();
    assert!(fallback.exists());
    recovery::discard(&file);
    assert!(!fallback.exists());
    assert!(
        is_symlink(&recovery::recovery_path(&file)),
        "removed a planted link"
    );
}

// ------------------------------------------------ the streaming writer

#[test]
fn a_streaming_write_that_fails_or_panics_leaves_the_file_and_no_temporary() {
    use riskbench::store::{WriteOptions, write_atomic_with};
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.ron");
    std::fs::write(&file, "original").unwrap();
    set_mode(&file, 0o640);

    let e = write_atomic_with(&file, WriteOptions::default(), |w| {
        w.write_all(b"half of it")?;
        Err(std::io::Error::other("the generator gave up"))
    })
    .unwrap_err();
    assert!(e.to_string().contains("the generator gave up"), "{e}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "original");
    assert_no_leftovers(dir.path());

    let panicked = std::panic::catch_unwind(|| {
        let _ = write_atomic_with(&file, WriteOptions::default(), |w| {
            w.write_all(b"half of it")?;
            panic!("a bug mid-write");
        });
    });
    assert!(panicked.is_err());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "original");
    assert_no_leftovers(dir.path());

    write_atomic_with(&file, WriteOptions::default(), |w| {
        for i in 0..1000 {
            writeln!(w, "line {i}")?;
        }
        Ok(())
    })
    .unwrap();
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .ends_with("line 999\n")
    );
    assert_eq!(mode(&file), 0o640);
    assert!(
        !dir.path().join("big.ron.bak").exists(),
        "a .bak not asked for"
    );
}
