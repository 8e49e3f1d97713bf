//! Issue 17 item 4: the record of a risk workshop. `riskbench minutes FILE
//! --from OLD.ron|--since REV` compared byte for byte with a document
//! written by hand, HTML escaping, a real git revision, refusals, and the
//! workbench's `W` (attendees asked once, the file written beside the
//! register, never over a file without asking).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

mod common;

use std::path::Path;

use chrono::NaiveDate;
use common::*;
use riskbench::domain::Register;
use riskbench::domain::model::Acceptance;
use riskbench::domain::schema2::Note;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn write(path: &Path, reg: &Register) {
    std::fs::write(path, riskbench::domain::canonical::to_canonical(reg)).unwrap();
}

/// Northwind after the workshop: scored again, R-004
/// accepted, a note on R-003 and an action for it.
fn after_workshop() -> Register {
    let mut reg = northwind_register();
    let at = |reg: &Register, id: &str| reg.risks.iter().position(|r| r.id == id).unwrap();
    let r1 = at(&reg, "R-001");
    reg.risks[r1].likelihood = 3;
    let r2 = at(&reg, "R-002");
    reg.risks[r2].impact = 3;
    let r3 = at(&reg, "R-003");
    reg.risks[r3].notes.push(Note {
        on: day("2026-12-01"),
        by: "Ana Lopez".into(),
        text: "Two services still run the 2019 framework; nobody owns their updates".into(),
    });
    let r4 = at(&reg, "R-004");
    reg.risks[r4].acceptance = Some(Box::new(Acceptance {
        by: "Head of Data".into(),
        on: day("2026-12-01"),
        until: day("2027-11-30"),
        accepted_score: None,
        accepted_controls: None,
        reason: "Quarterly access review keeps it within appetite".into(),
    }));
    let mut action = reg.actions[0].clone();
    action.id = "ACT-201".into();
    action.title = "Track dependency updates for the older services".into();
    action.risks = vec!["R-003".into()];
    action.controls = vec!["8.8".into()];
    action.owner = "Head of Engineering".into();
    action.due = Some(day("2027-02-15"));
    action.note = String::new();
    reg.actions.push(action);
    reg
}

#[test]
fn the_minutes_of_a_workshop_say_what_the_room_decided() {
    let dir = tempfile::tempdir().unwrap();
    let before = dir.path().join("before.ron");
    let after = dir.path().join("northwind.ron");
    std::fs::copy(root().join("registers/northwind.ron"), &before).unwrap();
    write(&after, &after_workshop());
    let run = run_command(
        riskbench_in(dir.path()),
        &[
            "minutes",
            "northwind.ron",
            "--from",
            "before.ron",
            "--format",
            "md",
            "--today",
            TODAY,
            "--attendees",
            "Ana Lopez (CISO), Ben Okafor,  Chen Wei",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected =
        std::fs::read_to_string(root().join("tests/fixtures/minutes/northwind.md")).unwrap();
    assert_eq!(run.stdout, expected);
    // -o writes the same bytes; an existing file is kept without --force.
    let out = dir.path().join("minutes.md");
    let args = [
        "minutes",
        "northwind.ron",
        "--from",
        "before.ron",
        "--today",
        TODAY,
        "--attendees",
        "Ana Lopez (CISO), Ben Okafor,  Chen Wei",
        "-o",
        "minutes.md",
    ];
    let run = run_command(riskbench_in(dir.path()), &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), expected);
    std::fs::write(&out, "kept").unwrap();
    let run = run_command(riskbench_in(dir.path()), &args);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "kept");
}

#[test]
fn nothing_decided_reads_none_in_every_section() {
    let run = run_today(&[
        "minutes",
        "registers/northwind.ron",
        "--from",
        "registers/northwind.ron",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.matches("\nNone.\n").count(), 5, "{}", run.stdout);
    assert!(run.stdout.contains("Attendees: none recorded"));
    assert!(run.stdout.contains("clause 7.5"));
}

#[test]
fn html_minutes_escape_what_the_register_says() {
    let dir = tempfile::tempdir().unwrap();
    let before = dir.path().join("before.ron");
    std::fs::copy(root().join("registers/northwind.ron"), &before).unwrap();
    let mut reg = northwind_register();
    reg.name = "Northwind & <Partners>".into();
    reg.risks[2].notes.push(Note {
        on: day("2026-12-01"),
        by: "<b>Eve</b>".into(),
        text: "<script>alert(1)</script> \"quoted\" & 'single'".into(),
    });
    // A control excluded: an SoA change.
    let d = reg
        .decisions
        .iter()
        .position(|d| d.applicable)
        .expect("northwind includes a control by decision");
    let control = reg.decisions[d].control.clone();
    let needed = riskbench::domain::Analysis::new(&reg, today())
        .soa
        .entries
        .iter()
        .any(|e| {
            riskbench::domain::Catalog::annex_a().controls()[e.control].id == control
                && (!e.risks.is_empty() || !e.factors.is_empty())
        });
    assert!(!needed, "pick a control no risk needs");
    reg.decisions[d].applicable = false;
    write(&dir.path().join("after.ron"), &reg);
    let run = run_command(
        riskbench_in(dir.path()),
        &[
            "minutes",
            "after.ron",
            "--from",
            "before.ron",
            "--format",
            "html",
            "--attendees",
            "Mallory <m@x>",
            "--today",
            TODAY,
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = run.stdout;
    assert!(page.starts_with("<!DOCTYPE html>"));
    for raw in ["<script>", "<b>", "<Partners>", "<m@x>"] {
        assert!(!page.contains(raw), "{raw} unescaped:\n{page}");
    }
    for escaped in [
        "&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &amp; &#39;single&#39;",
        "&lt;b&gt;Eve&lt;/b&gt;",
        "Northwind &amp; &lt;Partners&gt;",
        "Mallory &lt;m@x&gt;",
    ] {
        assert!(page.contains(escaped), "{escaped} missing:\n{page}");
    }
    assert!(
        page.contains(&format!("<li>{control} ")) && page.contains("Yes, "),
        "the SoA change is listed:\n{page}"
    );
    assert!(page.contains(" → No, "), "{page}");
}

#[test]
fn since_a_git_revision_reads_the_committed_register() {
    let git_ok = std::process::Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !git_ok {
        eprintln!("git is not installed: skipping the --since REV test");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("northwind.ron");
    std::fs::copy(root().join("registers/northwind.ron"), &file).unwrap();
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
            .args(["-c", "commit.gpgsign=false"])
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {out:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "northwind.ron"]);
    git(&["commit", "-q", "-m", "before the workshop"]);
    write(&file, &after_workshop());
    let run = run_command(
        riskbench_in(dir.path()),
        &[
            "minutes",
            "northwind.ron",
            "--since",
            "HEAD",
            "--attendees",
            "Ana Lopez (CISO), Ben Okafor,  Chen Wei",
            "--today",
            TODAY,
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected =
        std::fs::read_to_string(root().join("tests/fixtures/minutes/northwind.md")).unwrap();
    // The same document; only what it was compared with is named otherwise.
    assert_eq!(
        run.stdout,
        expected.replace(
            "Changes since: before.ron",
            "Changes since: northwind.ron at git revision HEAD"
        )
    );
    let run = run_command(
        riskbench_in(dir.path()),
        &["minutes", "northwind.ron", "--since", "no-such-rev"],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no-such-rev"), "{}", run.stderr);
}

#[test]
fn minutes_need_exactly_one_register_to_compare_with() {
    let run = run_today(&["minutes", "registers/northwind.ron"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--since REV"), "{}", run.stderr);
    let run = run_today(&[
        "minutes",
        "registers/northwind.ron",
        "--since",
        "HEAD",
        "--from",
        "registers/northwind.ron",
    ]);
    assert_eq!(run.code, 2);
}

#[test]
fn the_workbench_writes_the_minutes_of_the_session() {
    let (dir, file) = northwind_copy();
    let mut s = open_session(&file);
    press(&mut s, "2");
    select_item(&mut s.app, 0);
    let scored = s.app.doc.register().risks[0].id.clone();
    press(&mut s, "L 2");
    // Attendees first (once per session), then the path beside the register.
    press(&mut s, "W");
    s.app.paste("Ana Lopez, Ben Okafor");
    press(&mut s, "enter");
    let expected = dir.path().join("northwind-minutes-2026-12-01.md");
    match s.app.modals.last() {
        Some(riskbench::app::Modal::Prompt(p)) => {
            assert_eq!(p.field.text(), expected.display().to_string());
        }
        other => panic!("expected the path prompt, got {other:?}"),
    }
    press(&mut s, "enter");
    let text = std::fs::read_to_string(&expected).unwrap();
    assert!(text.contains("Attendees: Ana Lopez, Ben Okafor"), "{text}");
    assert!(text.contains(&format!("- {scored} ")), "{text}");
    assert!(
        text.contains("Changes since: northwind.ron as opened in this session"),
        "{text}"
    );
    assert!(s.app.modals.is_empty());
    let msg = s.app.message.clone().unwrap().0;
    assert!(msg.contains("northwind-minutes-2026-12-01.md"), "{msg}");
    // Again: no attendees question; the file is there, so it asks first.
    press(&mut s, "W");
    match s.app.modals.last() {
        Some(riskbench::app::Modal::Prompt(p)) => {
            assert!(p.title.contains("Write the minutes"), "{}", p.title);
        }
        other => panic!("expected the path prompt, got {other:?}"),
    }
    std::fs::write(&expected, "kept").unwrap();
    press(&mut s, "enter");
    assert!(matches!(
        s.app.modals.last(),
        Some(riskbench::app::Modal::Confirm(_))
    ));
    assert_eq!(std::fs::read_to_string(&expected).unwrap(), "kept");
    press(&mut s, "y");
    let text = std::fs::read_to_string(&expected).unwrap();
    assert!(text.contains("Attendees: Ana Lopez, Ben Okafor"), "{text}");
}

#[test]
fn minutes_never_replace_a_register_even_when_told_to() {
    use riskbench::export::minutes::{File, NotWritten};
    let (_dir, file) = northwind_copy();
    let before = std::fs::read(&file).unwrap();
    let asked = File {
        path: file.clone(),
        text: "# minutes".into(),
        replace: false,
    };
    assert_eq!(asked.write(), Err(NotWritten::Exists));
    let told = File {
        replace: true,
        ..asked
    };
    match told.write() {
        Err(NotWritten::Failed(e)) => assert!(e.contains("risk register"), "{e}"),
        other => panic!("a register must not be replaced: {other:?}"),
    }
    assert_eq!(std::fs::read(&file).unwrap(), before);
}
