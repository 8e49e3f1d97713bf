//! Hostile numbers (issue 11, items 13 and 14): counts that cannot be
//! honoured and dates that leave the calendar.
//!
//! - `generate` refuses a count above its limit up front (exit 2, a message,
//!   no file), instead of aborting on an allocation failure, and writes its
//!   register as a stream: memory does not grow with the count, and the
//!   bytes are exactly those of the register built in memory.
//! - Date arithmetic that would give a date after 9999-12-31 (a review date
//!   plus a level's `review_days`) is a `date-range` error at its place,
//!   never "never been reviewed" and never a year 10000 in any output; and
//!   a date is a year from 0001 to 9999.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test
#![allow(unsafe_code)] // wait4 to read the child's peak memory

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use riskbench::domain::Analysis;
use riskbench::domain::canonical::to_canonical;
use riskbench::domain::generate::{MAX_RISKS, generate, write_generated};
use serde_json::Value;

mod common;
use common::{Run, TODAY, p, riskbench_in, root, run_command};

// ------------------------------------------------------------ generate

/// Runs `riskbench ARGS` in `dir` and waits at most `limit`: a count must be
/// refused before any work starts, so a run still going is a failure (it is
/// killed first, so a broken build cannot fill the disk).
fn run_within(dir: &Path, args: &[&str], limit: Duration) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_riskbench"))
        .current_dir(dir)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("riskbench starts");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for riskbench") {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("riskbench {args:?} still ran after {limit:?}: the count was not refused");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = io::Read::read_to_string(&mut e, &mut stderr);
    }
    assert!(!stderr.contains("panicked"), "{args:?} panicked:\n{stderr}");
    let code = status.code().unwrap_or_else(|| {
        panic!("riskbench {args:?} was killed by a signal ({status}):\n{stderr}")
    });
    (code, stderr)
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut all: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    all.sort();
    all
}

fn assert_count_refused(count: &str) {
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr) = run_within(
        dir.path(),
        &["generate", "--risks", count, "-o", "big.ron"],
        Duration::from_secs(10),
    );
    assert_eq!(code, 2, "--risks {count}: exit {code}, stderr:\n{stderr}");
    assert!(
        stderr.contains(count) && stderr.contains("10000000"),
        "the message names the count and the limit:\n{stderr}"
    );
    assert!(
        names(dir.path()).is_empty(),
        "nothing is written: {:?}",
        names(dir.path())
    );
}

#[test]
fn a_trillion_risks_is_refused_with_exit_2_not_an_abort() {
    assert_count_refused("1000000000000");
}

#[test]
fn one_risk_above_the_limit_is_refused() {
    assert_eq!(MAX_RISKS, 10_000_000);
    assert_count_refused("10000001");
}

/// Takes at most 7 bytes per `write` call, so the writer's use of partial
/// writes is exercised too.
struct Trickle(Vec<u8>);

impl Write for Trickle {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = buf.len().min(7);
        self.0.extend_from_slice(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn streaming_writes_the_same_bytes_as_the_register_in_memory() {
    for n in [0, 1, 2, 19, 20, 21, 40, 333] {
        for seed in [0, 1, 42, u64::MAX] {
            let expected = to_canonical(&generate(n, seed));
            let mut out = Vec::new();
            let summary = write_generated(n, seed, &mut out).unwrap();
            assert!(
                out == expected.as_bytes(),
                "{n} risks, seed {seed}: the streamed text differs from to_canonical"
            );
            assert_eq!(summary.bytes, expected.len() as u64);
            assert_eq!(summary.risks, n);
            assert_eq!(summary.assets, (n / 20).max(1));
            assert_eq!(summary.threats, 300);
        }
    }
    let mut trickle = Trickle(Vec::new());
    write_generated(333, 5, &mut trickle).unwrap();
    assert!(trickle.0 == to_canonical(&generate(333, 5)).as_bytes());
}

/// Accepts `left` bytes, then fails like a full disk.
struct Full {
    left: usize,
}

impl Write for Full {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.left == 0 {
            return Err(io::Error::new(io::ErrorKind::StorageFull, "no space"));
        }
        let n = buf.len().min(self.left);
        self.left -= n;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_write_error_while_streaming_is_returned() {
    for left in [0, 100, 200_000] {
        let err = write_generated(2_000, 1, Full { left }).expect_err("the disk is full");
        assert_eq!(err.kind(), io::ErrorKind::StorageFull, "after {left} bytes");
    }
}

/// Runs `riskbench ARGS` and returns the child's peak resident memory
/// (`ru_maxrss`, from `wait4`: the kernel's own account, no tool needed).
#[cfg(unix)]
#[allow(clippy::zombie_processes)] // reaped by `wait4`, which std does not know
fn peak_rss(dir: &Path, args: &[&str]) -> i64 {
    let child = Command::new(env!("CARGO_BIN_EXE_riskbench"))
        .current_dir(dir)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("riskbench starts");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: rusage is plain data; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let got = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(got, pid, "wait4: {}", io::Error::last_os_error());
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "riskbench {args:?} failed (status {status:#x})"
    );
    usage.ru_maxrss
}

#[cfg(unix)]
#[test]
fn generate_memory_does_not_grow_with_the_count() {
    let dir = tempfile::tempdir().unwrap();
    let small = peak_rss(
        dir.path(),
        &[
            "generate",
            "--risks",
            "10000",
            "--seed",
            "3",
            "-o",
            "small.ron",
        ],
    );
    let big = peak_rss(
        dir.path(),
        &[
            "generate", "--risks", "200000", "--seed", "3", "-o", "big.ron",
        ],
    );
    // Building the register in memory took ~10 times as much for 20 times
    // the risks; streaming keeps both near the program's own size.
    eprintln!("peak memory: {small} KB for 10,000 risks, {big} KB for 200,000");
    assert!(
        big < 3 * small,
        "peak memory {big} KB for 200,000 risks against {small} KB for 10,000"
    );
    // The streamed file is the register built in memory, byte for byte, and
    // no temporary file is left.
    let written = std::fs::read(dir.path().join("small.ron")).unwrap();
    assert!(written == to_canonical(&generate(10_000, 3)).as_bytes());
    assert_eq!(names(dir.path()), ["big.ron", "small.ron"]);
    let text = std::fs::read_to_string(dir.path().join("big.ron")).unwrap();
    assert!(text.contains("id: \"R-200000\"") && text.ends_with("    history: [],\n)\n"));
}

// --------------------------------------------------------------- dates

/// A register under `tests/fixtures/dates/`; `clean` is the clean one of
/// `tests/fixtures/check/`, which those are made from.
fn fixture(name: &str) -> PathBuf {
    let dir = if name == "clean" { "check" } else { "dates" };
    root()
        .join("tests/fixtures")
        .join(dir)
        .join(format!("{name}.ron"))
}

fn run(args: &[&str]) -> Run {
    run_command(riskbench_in(&root()), args)
}

/// `check FILE --format json --today TODAY`: the exit code and the document.
fn check_json(path: &Path) -> (i32, Value) {
    let r = run(&["check", p(path), "--format", "json", "--today", TODAY]);
    let doc = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("check --format json is not JSON ({e}):\n{}", r.stdout));
    (r.code, doc)
}

/// The 1-based (line, column) of the first `needle` outside comment lines.
fn position_of(text: &str, needle: &str) -> (u64, u64) {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim_start().starts_with("//"))
        .find_map(|(i, line)| {
            line.find(needle)
                .map(|b| (i as u64 + 1, line[..b].chars().count() as u64 + 1))
        })
        .unwrap_or_else(|| panic!("no {needle:?} in the fixture"))
}

/// Asserts `check` reports exactly one finding, a `date-range` error at
/// `at`, placed at `needle`, in JSON and in text; returns its message.
fn assert_date_range(path: &Path, at: &str, needle: &str) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let (code, doc) = check_json(path);
    assert_eq!(code, 1, "an error fails check: {doc:#}");
    assert_eq!(doc["warnings"], Value::Array(Vec::new()), "{doc:#}");
    let errors = doc["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{doc:#}");
    let f = &errors[0];
    assert_eq!(
        (f["code"].as_str(), f["at"].as_str()),
        (Some("date-range"), Some(at))
    );
    let (line, col) = position_of(&text, needle);
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(line), Some(col)),
        "placed at {needle:?}: {f:#}"
    );
    let r = run(&["check", p(path), "--today", TODAY]);
    assert_eq!(r.code, 1);
    let prefix = format!("{}:{line}:{col}: error[date-range] {at}: ", p(path));
    assert!(
        r.stdout.lines().any(|l| l.starts_with(&prefix)),
        "no line starting with {prefix:?} in:\n{}",
        r.stdout
    );
    f["message"].as_str().unwrap().to_string()
}

/// Every command that reads the register: none may say "never" reviewed
/// or show a year past 9999; `soa`, `risks` and `diff` refuse the register
/// (exit 1) because it has an error.
fn assert_no_wrong_dates_anywhere(path: &Path) {
    let f = p(path);
    let clean = fixture("clean");
    let clean = p(&clean);
    let mut runs: Vec<(Vec<&str>, i32)> = vec![
        (vec!["check", f], 1),
        (vec!["check", f, "--format", "json"], 1),
        (vec!["diff", clean, f], 1),
        (vec!["diff", f, clean, "--format", "json"], 1),
        (vec!["diff", f], 1),
    ];
    for format in ["text", "md", "csv", "json"] {
        runs.push((vec!["risks", f, "--format", format], 1));
        runs.push((vec!["soa", f, "--format", format], 1));
    }
    for (args, want) in runs {
        let r = run(&[args.as_slice(), &["--today", TODAY]].concat());
        assert_eq!(r.code, want, "{args:?}:\n{}{}", r.stdout, r.stderr);
        let all = format!("{}{}", r.stdout, r.stderr);
        for bad in ["10000-", "never", "null"] {
            assert!(!all.contains(bad), "{args:?} prints {bad:?}:\n{all}");
        }
    }
}

#[test]
fn a_next_review_after_9999_12_31_is_an_error_at_the_risk() {
    let path = fixture("review-after-9999");
    let message = assert_date_range(&path, "R-001", "id: \"R-001\"");
    assert!(
        message.contains("9999-12-31") && message.contains("180"),
        "the message says what overflows: {message}"
    );
    assert!(!message.contains("10000"), "{message}");
    assert_no_wrong_dates_anywhere(&path);

    // The last day itself is fine: 9999-07-04 + 180 days = 9999-12-31.
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("9999-12-31\")", "9999-07-04\")");
    let dir = tempfile::tempdir().unwrap();
    let edge = dir.path().join("edge.ron");
    std::fs::write(&edge, text).unwrap();
    let r = run(&["risks", p(&edge), "--format", "json", "--today", TODAY]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["risks"][0]["next_review"], "9999-12-31");
    assert_eq!(doc["risks"][0]["overdue"], false);
}

#[test]
fn review_days_past_the_calendar_are_an_error_at_the_method() {
    let path = fixture("review-days-past-calendar");
    let message = assert_date_range(&path, "method", "method:");
    assert!(
        message.contains("\"Medium\"") && message.contains("4294967295"),
        "the message names the level and its review_days: {message}"
    );
    assert_no_wrong_dates_anywhere(&path);
}

/// The clean fixture with Medium's `review_days` set to `days` and R-001
/// reviewed on `reviewed`.
fn analysed(days: u32, reviewed: &str) -> (riskbench::domain::Register, Analysis) {
    let text = std::fs::read_to_string(fixture("clean"))
        .unwrap()
        .replace("review_days: 180", &format!("review_days: {days}"))
        .replace("2026-11-01", reviewed);
    let reg = riskbench::store::parse_str("edited.ron", &text)
        .unwrap()
        .register;
    let today = riskbench::domain::model::dates::parse(TODAY).unwrap();
    let analysis = Analysis::new(&reg, today);
    (reg, analysis)
}

#[test]
fn the_longest_review_interval_reaches_exactly_9999_12_31() {
    // 0001-01-01 + 3,652,058 days is 9999-12-31: the widest span a
    // register's dates allow, so the largest meaningful `review_days`.
    let (_, a) = analysed(3_652_058, "0001-01-01");
    assert!(!a.has_errors(), "{:?}", a.findings);
    let e = a.eval.risks[0].as_ref().unwrap();
    assert_eq!(
        e.next_review.map(|d| d.to_string()).as_deref(),
        Some("9999-12-31")
    );
    assert!(!e.review_out_of_range);

    let (_, a) = analysed(3_652_059, "0001-01-01");
    let codes: Vec<(&str, &str)> = a.errors().map(|f| (f.code, f.at.as_str())).collect();
    assert_eq!(codes, [("date-range", "method")], "one error, at the level");
    let e = a.eval.risks[0].as_ref().unwrap();
    assert!(e.review_out_of_range && e.next_review.is_none() && !e.overdue);

    // Within the calendar in general, past it for this review: the risk.
    let (_, a) = analysed(3_652_058, "0001-01-02");
    let codes: Vec<(&str, &str)> = a.findings.iter().map(|f| (f.code, f.at.as_str())).collect();
    assert_eq!(codes, [("date-range", "R-001")]);
}

#[test]
fn year_0000_is_not_a_date() {
    let clean = fixture("clean");
    let r = run(&["check", p(&clean), "--today", "0000-06-01"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("0000-06-01"), "{}", r.stderr);
    for s in ["0000-01-01", "10000-01-01", "+9999-01-01", "-001-01-01"] {
        assert!(
            riskbench::domain::model::dates::parse(s).is_err(),
            "{s} parses"
        );
    }
    for s in ["0001-01-01", "9999-12-31"] {
        assert!(riskbench::domain::model::dates::parse(s).is_ok(), "{s}");
    }
}
