//! Issue 11, items 8, 9 (Markdown) and 10: a register cannot attack the
//! terminal or the document of the person reading it, and `--git REV` is
//! never an option to git.
//!
//! `tests/fixtures/hostile/register.ron` holds an ANSI escape (`ESC [31m`),
//! BEL, the one-byte CSI U+009B, a line break and a right-to-left override
//! (U+202E) in every text field; the tests copy it under a file name that
//! holds an escape too, and run every command on it. In text and Markdown
//! output and on stderr those characters must arrive escaped (`\x1b`,
//! `\u{202e}`): never raw, never silently dropped.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

use std::path::{Path, PathBuf};

mod common;
use common::{Run, TODAY, p, riskbench_in, root, run_command};

/// The hostile text of the fixture, as the characters it holds.
const HOSTILE: &str = "\u{1b}[31mRED\u{7}\u{9b}2J\nline2\u{202e}exe.txt";

/// A file name with an escape sequence and a right-to-left override.
const HOSTILE_NAME: &str = "reg\u{1b}[31m\u{202e}.ron";

fn hostile_text() -> String {
    std::fs::read_to_string(root().join("tests/fixtures/hostile/register.ron")).unwrap()
}

/// Runs riskbench in `dir` with `args` and the fixed day.
fn run_in(dir: &Path, args: &[&str]) -> Run {
    run_command(riskbench_in(dir), &[args, &["--today", TODAY]].concat())
}

/// No raw control character (but the line breaks between lines) and no
/// bidi control in `what`.
fn raw_controls(what: &str) -> Vec<char> {
    what.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}

/// Asserts that a run's stdout (when `check_stdout`) and stderr hold no raw
/// control or bidi character, that no line of data was split off onto a
/// line of its own, and returns both streams together.
fn assert_safe(label: &str, r: &Run, check_stdout: bool) -> String {
    let mut streams = vec![("stderr", &r.stderr)];
    if check_stdout {
        streams.push(("stdout", &r.stdout));
    }
    for (name, text) in streams {
        let raw = raw_controls(text);
        assert!(
            raw.is_empty(),
            "{label}: raw {raw:?} on {name}:\n{}",
            text.escape_debug()
        );
        // "\nline2" in a value must not start a line of its own.
        assert!(
            !text.lines().any(|l| l.starts_with("line2")),
            "{label}: a line break from the data reached {name}:\n{text}"
        );
    }
    format!("{}{}", r.stdout, r.stderr)
}

/// The hostile register in a temp dir under [`HOSTILE_NAME`].
fn hostile_dir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(HOSTILE_NAME);
    std::fs::write(&path, hostile_text()).unwrap();
    (dir, path)
}

#[test]
fn check_shows_hostile_ids_names_and_file_names_escaped() {
    let (dir, path) = hostile_dir();
    let r = run_in(dir.path(), &["check", HOSTILE_NAME]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = assert_safe("check", &r, true);
    // The file name, escaped, on every finding and the summary.
    assert!(out.contains("reg\\x1b[31m\\u{202e}.ron:"), "{out}");
    assert!(out.contains("reg\\x1b[31m\\u{202e}.ron: 0 errors"), "{out}");
    // A finding about the risk with a hostile id.
    assert!(
        out.contains("warning[treatment-overdue] R-001\\x1b[31m\\u{202e}: "),
        "{out}"
    );
    drop(path);

    // An error that names a hostile id, through `check` (stdout) and
    // through `risks`/`soa` (stderr).
    let bad = hostile_text().replace(r#"asset: "A-02","#, r#"asset: "A-99\u{1b}[31m\u{202e}","#);
    std::fs::write(dir.path().join(HOSTILE_NAME), bad).unwrap();
    let r = run_in(dir.path(), &["check", HOSTILE_NAME]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let out = assert_safe("check (errors)", &r, true);
    // Quoted ids are escaped the way Rust quotes strings.
    assert!(out.contains("\"A-99\\u{1b}[31m\\u{202e}\""), "{out}");
    for cmd in ["risks", "soa"] {
        let r = run_in(dir.path(), &[cmd, HOSTILE_NAME]);
        assert_eq!(r.code, 1, "{cmd}: {}", r.stderr);
        let out = assert_safe(cmd, &r, true);
        assert!(out.contains("\"A-99\\u{1b}[31m\\u{202e}\""), "{cmd}: {out}");
        assert!(out.contains("reg\\x1b[31m\\u{202e}.ron:"), "{cmd}: {out}");
    }
}

#[test]
fn malformed_hostile_files_are_reported_escaped() {
    let dir = tempfile::tempdir().unwrap();
    // A malformed register under a hostile name: the FILE of FILE:LINE:COL.
    std::fs::write(
        dir.path().join(HOSTILE_NAME),
        "Register(schema: 1, name: \"x\u{1b}[31m\"\n",
    )
    .unwrap();
    for cmd in ["check", "soa", "risks", "fmt", "diff"] {
        let args: Vec<&str> = match cmd {
            "fmt" => vec!["fmt", "--check", HOSTILE_NAME],
            c => vec![c, HOSTILE_NAME],
        };
        let r = run_in(dir.path(), &args);
        assert_eq!(r.code, 2, "{cmd}: {}", r.stderr);
        let out = assert_safe(cmd, &r, true);
        assert!(out.contains("reg\\x1b[31m\\u{202e}.ron:"), "{cmd}: {out}");
    }
    // A missing file with a hostile name.
    let r = run_in(dir.path(), &["check", "gone\u{1b}]0;title\u{7}.ron"]);
    assert_eq!(r.code, 2);
    let out = assert_safe("missing", &r, true);
    assert!(out.contains("gone\\x1b]0;title\\x07.ron"), "{out}");

    // The malformed corpus, escape sequences in text fields included.
    let corpus = root().join("tests/fixtures/malformed");
    let mut n = 0;
    for entry in std::fs::read_dir(&corpus).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "ron") {
            for cmd in ["check", "risks"] {
                let r = run_in(&root(), &[cmd, p(&path)]);
                assert_eq!(r.code, 2, "{cmd} {}", path.display());
                assert_safe(&format!("{cmd} {}", path.display()), &r, true);
            }
            n += 1;
        }
    }
    assert!(n > 40, "{n} malformed fixtures");
}

#[test]
fn risks_and_soa_text_and_markdown_escape_every_text_field() {
    let (dir, _path) = hostile_dir();
    for cmd in ["risks", "soa"] {
        for format in ["text", "md"] {
            let r = run_in(dir.path(), &[cmd, HOSTILE_NAME, "--format", format]);
            assert_eq!(r.code, 0, "{cmd} {format}: {}", r.stderr);
            let out = assert_safe(&format!("{cmd} {format}"), &r, true);
            assert!(out.contains("\\x1b[31m"), "{cmd} {format}: {out}");
            assert!(out.contains("\\u{202e}"), "{cmd} {format}: {out}");
        }
    }
    let text = run_in(dir.path(), &["risks", HOSTILE_NAME]).stdout;
    // Titles, owners, ids and level names; the escape is visible.
    assert!(
        text.contains("Title \\x1b[31mRED\\x07\\x9b2J\\nline2\\u{202e}exe.txt"),
        "{text}"
    );
    assert!(text.contains("R-001\\x1b[31m\\u{202e}"), "{text}");
    assert!(text.contains("Owner \\x1b[31m"), "{text}");
    assert!(text.contains("Critical\\x1b]0;pwned\\x07"), "{text}");
    let soa = run_in(dir.path(), &["soa", HOSTILE_NAME]).stdout;
    assert!(soa.contains("Reason \\x1b[31mRED\\x07"), "{soa}");
    assert!(soa.contains("Factors: cloud\\x1b[31m"), "{soa}");
}

#[test]
fn markdown_escapes_html_pipes_and_line_breaks() {
    let (dir, _path) = hostile_dir();
    let risks = run_in(dir.path(), &["risks", HOSTILE_NAME, "--format", "md"]).stdout;
    assert!(!risks.contains("<script>"), "{risks}");
    assert!(!risks.contains("<svg"), "{risks}");
    assert!(
        risks.contains(
            "&lt;script&gt;alert(1)&lt;/script&gt; \\| &lt;svg onload=alert(2)&gt; &amp; more"
        ),
        "{risks}"
    );
    // A line break inside a cell keeps the row on one line.
    assert!(risks.contains("RED\\\\x07\\\\x9b2J<br>line2"), "{risks}");
    // Every row has as many cells as the header.
    let cells = |l: &str| l.replace("\\|", "").matches('|').count();
    let lines: Vec<&str> = risks.lines().collect();
    assert!(lines.len() == 4, "{risks}");
    for l in &lines {
        assert_eq!(cells(l), cells(lines[0]), "{l}");
    }
    let soa = run_in(dir.path(), &["soa", HOSTILE_NAME, "--format", "md"]).stdout;
    assert!(
        soa.contains("&lt;b&gt;bold&lt;/b&gt; \\| pipe &amp; amp"),
        "{soa}"
    );
    assert!(!soa.contains("<b>"), "{soa}");
}

#[test]
fn machine_formats_keep_the_data_exact() {
    let (dir, path) = hostile_dir();
    let r = run_in(dir.path(), &["risks", HOSTILE_NAME, "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["risks"][0]["title"], format!("Title {HOSTILE}"));
    let r = run_in(dir.path(), &["risks", HOSTILE_NAME, "--format", "csv"]);
    assert!(
        r.stdout.contains(&format!("\"Title {HOSTILE}\"")),
        "{}",
        r.stdout
    );
    drop(path);
}

/// The hostile register and an edited copy (a title, a decision's reason,
/// the factor that keeps the hostile asset in scope).
fn hostile_pair(dir: &Path) -> (String, String) {
    let old = "old\u{1b}[31m.ron".to_string();
    let new = "new\u{202e}.ron".to_string();
    std::fs::write(dir.join(&old), hostile_text()).unwrap();
    let edited = hostile_text()
        .replace(
            r#"title: "Title \u{1b}"#,
            r#"title: "Changed \u{1b}[32m\u{7}\n\u{202e}title \u{1b}"#,
        )
        .replace(
            r#"reason: "Reason \u{1b}"#,
            r#"reason: "New \u{1b}[2J\u{202e}reason \u{1b}"#,
        )
        .replace("on: true", "on: false");
    assert_ne!(edited, hostile_text());
    std::fs::write(dir.join(&new), edited).unwrap();
    (old, new)
}

#[test]
fn diff_text_escapes_titles_names_reasons_and_approvers() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = hostile_pair(dir.path());
    let r = run_in(dir.path(), &["diff", &old, &new]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = assert_safe("diff OLD NEW", &r, true);
    assert!(out.contains("old\\x1b[31m.ron"), "{out}");
    assert!(out.contains("new\\u{202e}.ron"), "{out}");
    assert!(
        out.contains("Changed \\x1b[32m\\x07\\n\\u{202e}title"),
        "{out}"
    );
    assert!(out.contains("Asset \\x1b[31m"), "{out}");
    // Baseline: the approver's name.
    let r = run_in(dir.path(), &["diff", &old]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = assert_safe("diff FILE", &r, true);
    assert!(out.contains("by Approver \\x1b[31mRED"), "{out}");
}

// ------------------------------------------------------------------ --git

fn git(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .expect("git runs")
}

/// A repository with the hostile register committed under a hostile name,
/// then edited in the working tree.
fn hostile_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for args in [
        &["init", "-q"][..],
        &["config", "user.name", "Test User"],
        &["config", "user.email", "test@example.com"],
        &["config", "commit.gpgsign", "false"],
    ] {
        assert!(git(d, args).status.success());
    }
    std::fs::write(d.join(HOSTILE_NAME), hostile_text()).unwrap();
    assert!(git(d, &["add", "."]).status.success());
    assert!(git(d, &["commit", "-q", "-m", "hostile"]).status.success());
    let edited = hostile_text().replace("on: true", "on: false");
    std::fs::write(d.join(HOSTILE_NAME), edited).unwrap();
    dir
}

fn run_git(dir: &Path, args: &[&str]) -> Run {
    let mut cmd = riskbench_in(dir);
    cmd.env(
        "GIT_CEILING_DIRECTORIES",
        dir.parent().unwrap().to_str().unwrap(),
    )
    .env("GIT_CONFIG_NOSYSTEM", "1")
    .env("GIT_CONFIG_GLOBAL", "/dev/null");
    run_command(cmd, &[args, &["--today", TODAY]].concat())
}

/// Every file under `dir` (outside `.git`).
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let path = e.unwrap().path();
            if path.file_name().is_some_and(|n| n == ".git") {
                continue;
            }
            if path.is_dir() {
                stack.push(path.clone());
            }
            out.push(path);
        }
    }
    out.sort();
    out
}

#[test]
fn diff_git_escapes_the_file_name_the_revision_and_git_messages() {
    let repo = hostile_repo();
    let d = repo.path();
    let r = run_git(d, &["diff", HOSTILE_NAME, "--git", "HEAD"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = assert_safe("diff --git", &r, true);
    assert!(
        out.starts_with("Changes from reg\\x1b[31m\\u{202e}.ron@HEAD to reg\\x1b[31m"),
        "{out}"
    );
    // A revision that is not one: git's own message is shown, escaped.
    let r = run_git(d, &["diff", HOSTILE_NAME, "--git", "x\u{1b}[31m\u{202e}y"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let out = assert_safe("diff --git BAD", &r, true);
    assert!(out.contains("x\\x1b[31m"), "{out}");
}

#[test]
fn diff_git_revision_is_never_an_option() {
    let repo = hostile_repo();
    let d = repo.path();
    std::fs::write(d.join("register.ron"), hostile_text()).unwrap();
    assert!(git(d, &["add", "register.ron"]).status.success());
    assert!(git(d, &["commit", "-q", "-m", "plain"]).status.success());
    // `git show --output=out:./register.ron` would write into `out:.`.
    std::fs::create_dir(d.join("out:.")).unwrap();
    let before = files(d);
    for rev in ["--output=out", "-p", "--output=/dev/null", "-"] {
        let arg = format!("--git={rev}");
        let r = run_git(d, &["diff", "register.ron", &arg]);
        assert_eq!(r.code, 2, "{rev}: {}{}", r.stdout, r.stderr);
        assert!(r.stdout.is_empty(), "{rev}: {}", r.stdout);
        assert!(
            r.stderr.contains("revision") && r.stderr.contains('-'),
            "{rev}: {}",
            r.stderr
        );
        assert_eq!(files(d), before, "{rev} wrote a file");
    }
    // An empty revision is no revision (git would read the index).
    let r = run_git(d, &["diff", "register.ron", "--git", ""]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("empty"), "{}", r.stderr);
    // A revision after `--end-of-options` still works for ordinary names.
    let r = run_git(d, &["diff", "register.ron", "--git", "HEAD~0"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

// ----------------------------------------------------- the other commands

#[test]
fn keymap_errors_quote_hostile_keys_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let name = "keys\u{1b}[31m.ron";
    std::fs::copy(
        root().join("tests/fixtures/hostile/keymap.ron"),
        dir.path().join(name),
    )
    .unwrap();
    let r = run_in(dir.path(), &["keymap", "check", name]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let out = assert_safe("keymap check", &r, true);
    assert!(out.contains("keys\\x1b[31m.ron:"), "{out}");
    assert!(
        out.contains("`\\x1b[31mX\\x07\\x9b2J\\nline2\\u{202e}`"),
        "{out}"
    );
}

#[test]
fn import_reports_hostile_cells_and_file_names_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let name = "sheet\u{1b}[31m\u{202e}.csv";
    let csv = format!(
        "Title,Likelihood,Impact,Owner,Controls,Treatment,Review date\n\
         \"Title {HOSTILE}\",3,4,\"Owner {HOSTILE}\",A.8.13,Mitigate,2026-01-01\n\
         \"Bad {HOSTILE}\",\"\u{1b}[31mhuge\u{202e}\",4,x,\"A.99.1\u{1b}\",Mitigate,2026-01-01\n\
         \"Bad date\",3,4,x,A.8.13,\"\u{9b}weird\u{202e}\",\"\u{1b}[2J31/02/2026\"\n"
    );
    std::fs::write(dir.path().join(name), csv).unwrap();
    let out_name = "out\u{1b}[31m.ron";
    let r = run_in(dir.path(), &["import", name, "-o", out_name]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let out = assert_safe("import", &r, true);
    assert!(out.contains("sheet\\x1b[31m\\u{202e}.csv:"), "{out}");
    let r = run_in(
        dir.path(),
        &["import", name, "-o", out_name, "--skip-bad-rows"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = assert_safe("import --skip-bad-rows", &r, true);
    assert!(out.contains("wrote out\\x1b[31m.ron"), "{out}");
    // The register keeps the text exactly.
    let reg = riskbench::store::load_file(&dir.path().join(out_name))
        .unwrap()
        .register;
    assert!(reg.risks[0].title.contains('\u{1b}'));
    // The output exists now: the refusal names it, escaped.
    let r = run_in(dir.path(), &["import", name, "-o", out_name]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let out = assert_safe("import (exists)", &r, true);
    assert!(out.contains("out\\x1b[31m.ron"), "{out}");
}

#[test]
fn fmt_and_migrate_name_hostile_files_escaped() {
    let (dir, _path) = hostile_dir();
    let r = run_in(dir.path(), &["fmt", "--check", HOSTILE_NAME]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let out = assert_safe("fmt --check", &r, true);
    assert!(
        out.contains("reg\\x1b[31m\\u{202e}.ron: not in canonical form"),
        "{out}"
    );
    let r = run_in(dir.path(), &["fmt", HOSTILE_NAME]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_safe("fmt", &r, true);

    // A 2013 register under a hostile name.
    let old = "iso2013\u{1b}[31m.ron";
    std::fs::copy(
        root().join("tests/fixtures/import/register-2013.ron"),
        dir.path().join(old),
    )
    .unwrap();
    let r = run_in(
        dir.path(),
        &["migrate", old, "-o", "new\u{202e}.ron", "--dry-run"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = assert_safe("migrate", &r, true);
    assert!(out.contains("iso2013\\x1b[31m.ron"), "{out}");
    // Not a 2013 register: refused, naming the file.
    let r = run_in(dir.path(), &["migrate", HOSTILE_NAME, "-o", "x.ron"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let out = assert_safe("migrate (not 2013)", &r, true);
    assert!(out.contains("reg\\x1b[31m\\u{202e}.ron"), "{out}");
}

#[test]
fn exports_name_hostile_files_escaped() {
    let (dir, _path) = hostile_dir();
    let out_name = "book\u{1b}[31m.xlsx";
    let r = run_in(
        dir.path(),
        &["soa", HOSTILE_NAME, "--format", "xlsx", "-o", out_name],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = assert_safe("soa xlsx", &r, true);
    assert!(out.contains("wrote book\\x1b[31m.xlsx"), "{out}");
    // The page escapes the data as HTML; no raw escape reaches it either.
    let page = "page.html";
    let r = run_in(
        dir.path(),
        &["risks", HOSTILE_NAME, "--format", "html", "-o", page],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = std::fs::read_to_string(dir.path().join(page)).unwrap();
    assert!(
        !html.contains("<script>alert"),
        "unescaped title in the page"
    );
}
