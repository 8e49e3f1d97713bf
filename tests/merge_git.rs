//! `riskbench merge` as git's merge driver, with real git (issue 18): a
//! repository in a temporary directory, a register committed, two branches
//! editing it, `riskbench merge --install`, then `git merge`. Skipped with
//! a note when `git` is not installed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{northwind_register, riskbench_in, run_command};
use riskbench::domain::canonical::to_canonical;
use riskbench::domain::model::{Decision, Note};
use riskbench::domain::{Catalog, Register};
use riskbench::store::parse_str;

const FILE: &str = "register.ron";

fn have_git() -> bool {
    let ok = Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("note: git is not installed; the git merge tests are skipped");
    }
    ok
}

/// `git ARGS` in `dir`, isolated from the user's and the system's config.
fn git(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", dir.join("no-global-config"))
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .output()
        .expect("git runs")
}

fn git_ok(dir: &Path, args: &[&str]) {
    let out = git(dir, args);
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn write(dir: &Path, reg: &Register) {
    std::fs::write(dir.join(FILE), to_canonical(reg)).unwrap();
}

/// What a `git merge` of two edits of a register gave.
struct Merged {
    ok: bool,
    output: String,
    text: String,
    register: Register,
    dir: tempfile::TempDir,
}

/// A repository with `base` committed on `main`, `theirs` committed on a
/// branch, `ours` on main, the driver installed (`--install
/// --driver-path`: this test's binary), and `git merge other`.
fn git_merge(base: &Register, ours: &Register, theirs: &Register) -> Merged {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git_ok(d, &["init", "-q", "-b", "main"]);
    write(d, base);
    git_ok(d, &["add", FILE]);
    git_ok(d, &["commit", "-q", "-m", "base"]);
    git_ok(d, &["checkout", "-q", "-b", "other"]);
    write(d, theirs);
    git_ok(d, &["commit", "-q", "-am", "theirs"]);
    git_ok(d, &["checkout", "-q", "main"]);
    write(d, ours);
    git_ok(d, &["commit", "-q", "-am", "ours"]);
    let mut install = riskbench_in(d);
    install
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", d.join("no-global-config"));
    let run = run_command(install, &["merge", "--install", "--driver-path"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = git(d, &["merge", "--no-edit", "other"]);
    let text = std::fs::read_to_string(d.join(FILE)).unwrap();
    let register = parse_str(FILE, &text)
        .unwrap_or_else(|e| panic!("the merged file parses: {e}\n{text}"))
        .register;
    Merged {
        ok: out.status.success(),
        output: format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
        text,
        register,
        dir,
    }
}

fn base() -> Register {
    northwind_register()
}

fn new_risk(reg: &Register, id: &str, title: &str) -> riskbench::domain::Risk {
    let mut r = reg.risks[0].clone();
    r.id = id.into();
    r.title = title.into();
    r.notes.clear();
    r
}

#[test]
fn install_writes_the_driver_with_this_binary_and_the_attributes_once() {
    if !have_git() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git_ok(d, &["init", "-q"]);
    std::fs::write(d.join(".gitattributes"), "*.png binary").unwrap();
    for _ in 0..2 {
        let mut cmd = riskbench_in(d);
        cmd.env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", d.join("no-global-config"));
        let run = run_command(
            cmd,
            &["merge", "--install", "--driver-path", "registers/*.ron"],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    assert_eq!(
        std::fs::read_to_string(d.join(".gitattributes")).unwrap(),
        "*.png binary\nregisters/*.ron merge=riskbench\n"
    );
    let driver = git(d, &["config", "merge.riskbench.driver"]);
    assert_eq!(
        String::from_utf8_lossy(&driver.stdout).trim(),
        format!("{} merge %O %A %B -o %A", env!("CARGO_BIN_EXE_riskbench"))
    );
    // Without --driver-path the driver is `riskbench` from PATH.
    let mut cmd = riskbench_in(d);
    cmd.env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", d.join("no-global-config"));
    assert_eq!(run_command(cmd, &["merge", "--install"]).code, 0);
    let driver = git(d, &["config", "merge.riskbench.driver"]);
    assert_eq!(
        String::from_utf8_lossy(&driver.stdout).trim(),
        "riskbench merge %O %A %B -o %A"
    );
    assert!(
        std::fs::read_to_string(d.join(".gitattributes"))
            .unwrap()
            .ends_with("registers/*.ron merge=riskbench\n*.ron merge=riskbench\n")
    );
}

#[test]
fn install_global_writes_the_user_config_and_the_xdg_attributes_file() {
    if !have_git() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let xdg: PathBuf = home.path().join("xdg");
    let mut cmd = riskbench_in(home.path());
    cmd.env("HOME", home.path())
        .env("XDG_CONFIG_HOME", &xdg)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_CONFIG_GLOBAL");
    let run = run_command(cmd, &["merge", "--install", "--global"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(xdg.join("git/attributes")).unwrap(),
        "*.ron merge=riskbench\n"
    );
    let config = [home.path().join(".gitconfig"), xdg.join("git/config")]
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect::<String>();
    assert!(
        config.contains("riskbench merge %O %A %B -o %A"),
        "{config}"
    );
}

#[test]
fn field_edits_on_both_branches_merge_cleanly() {
    if !have_git() {
        return;
    }
    let base = base();
    let mut ours = base.clone();
    ours.risks[0].title = "Ransomware, as the London workshop puts it".into();
    let mut theirs = base.clone();
    theirs.risks[0].owner = "CISO".into();
    theirs.risks[1].impact = 1;
    let mut expected = ours.clone();
    expected.risks[0].owner = "CISO".into();
    expected.risks[1].impact = 1;
    let m = git_merge(&base, &ours, &theirs);
    assert!(m.ok, "{}", m.output);
    assert_eq!(m.text, to_canonical(&expected));
    assert!(!m.text.contains("conflicts:"));
}

#[test]
fn additions_with_distinct_ids_keep_both_ours_first() {
    if !have_git() {
        return;
    }
    let base = base();
    let mut ours = base.clone();
    ours.risks.push(new_risk(&base, "R-100", "Ours"));
    let mut theirs = base.clone();
    theirs.risks.push(new_risk(&base, "R-101", "Theirs"));
    let m = git_merge(&base, &ours, &theirs);
    assert!(m.ok, "{}", m.output);
    let ids: Vec<&str> = m.register.risks.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(&ids[ids.len() - 2..], ["R-100", "R-101"]);
    assert!(m.register.conflicts.is_empty());
}

#[test]
fn the_same_id_added_twice_is_a_conflict_that_keeps_both() {
    if !have_git() {
        return;
    }
    let base = base();
    let mut ours = base.clone();
    ours.risks
        .push(new_risk(&base, "R-100", "Phishing of payroll staff"));
    let mut theirs = base.clone();
    theirs
        .risks
        .push(new_risk(&base, "R-100", "Laptop stolen from a car"));
    let m = git_merge(&base, &ours, &theirs);
    assert!(!m.ok, "git must mark the merge as conflicted");
    let r100: Vec<_> = m
        .register
        .risks
        .iter()
        .filter(|r| r.id == "R-100")
        .collect();
    assert_eq!(r100.len(), 1);
    assert_eq!(r100[0].title, "Phishing of payroll staff");
    let c = &m.register.conflicts[0];
    assert_eq!(
        (c.entity.as_str(), c.id.as_str(), c.field.as_str()),
        ("risk", "R-100", "*")
    );
    assert_eq!(c.base, "");
    assert!(c.ours.contains("Phishing of payroll staff"), "{c:?}");
    assert!(c.theirs.contains("Laptop stolen from a car"), "{c:?}");
}

#[test]
fn deleted_here_and_edited_there_is_a_conflict_with_their_version_kept() {
    if !have_git() {
        return;
    }
    let base = base();
    let gone = base.risks[2].id.clone();
    let mut ours = base.clone();
    ours.risks.remove(2);
    let mut theirs = base.clone();
    theirs.risks[2].title = "Edited on the other branch".into();
    let m = git_merge(&base, &ours, &theirs);
    assert!(!m.ok, "git must mark the merge as conflicted");
    assert!(
        m.register.risks.iter().all(|r| r.id != gone),
        "ours deleted it"
    );
    let c = &m.register.conflicts[0];
    assert_eq!(
        (c.id.as_str(), c.field.as_str(), c.ours.as_str()),
        (gone.as_str(), "*", "")
    );
    assert!(c.theirs.contains("Edited on the other branch"), "{c:?}");
    assert!(c.base.contains(base.risks[2].title.as_str()), "{c:?}");
}

#[test]
fn an_exclusion_meeting_a_new_link_is_a_merge_finding() {
    if !have_git() {
        return;
    }
    let base = base();
    // A control no risk, factor or own control needs (northwind decides
    // it for another reason, or not at all).
    let free = Catalog::annex_a()
        .controls()
        .iter()
        .map(|c| c.id.clone())
        .find(|id| {
            base.risks.iter().all(|r| !r.controls.contains(id))
                && base.factors.iter().all(|f| !f.requires.contains(id))
                && base.own_controls.iter().all(|o| !o.maps_to.contains(id))
        })
        .expect("northwind has a control no risk links");
    let mut ours = base.clone();
    ours.decisions.retain(|d| d.control != free);
    ours.decisions.push(Decision {
        control: free.clone(),
        applicable: false,
        reason: "Not relevant to a remote company".into(),
    });
    let mut theirs = base.clone();
    theirs.risks[0].controls.push(free.clone());
    let m = git_merge(&base, &ours, &theirs);
    assert!(!m.ok, "a merge with new errors is left for a person");
    assert!(
        m.output
            .contains(&format!("new error excluded-but-needed at {free}")),
        "{}",
        m.output
    );
    assert!(m.register.conflicts.is_empty(), "no field conflicts");
    assert!(m.register.risks[0].controls.contains(&free));
    assert!(m.register.decisions.iter().any(|d| d.control == free));
}

#[test]
fn notes_added_on_both_branches_are_united_in_date_order() {
    if !have_git() {
        return;
    }
    let base = base();
    let note = |on: &str, text: &str| Note {
        on: riskbench::domain::model::dates::parse(on).unwrap(),
        by: "CFO".into(),
        text: text.into(),
    };
    let mut ours = base.clone();
    ours.risks[0].notes.push(note("2026-12-03", "ours, later"));
    let mut theirs = base.clone();
    theirs.risks[0]
        .notes
        .push(note("2026-12-02", "theirs, earlier"));
    let m = git_merge(&base, &ours, &theirs);
    assert!(m.ok, "{}", m.output);
    let texts: Vec<&str> = m.register.risks[0]
        .notes
        .iter()
        .map(|n| n.text.as_str())
        .collect();
    let n = texts.len();
    assert_eq!(&texts[n - 2..], ["theirs, earlier", "ours, later"]);
    assert_eq!(n, base.risks[0].notes.len() + 2);
}

#[test]
fn a_true_field_conflict_keeps_ours_records_both_and_check_reports_it() {
    if !have_git() {
        return;
    }
    let base = base();
    let id = base.risks[0].id.clone();
    let mut ours = base.clone();
    ours.risks[0].vulnerability = "Ours: flat network".into();
    let mut theirs = base.clone();
    theirs.risks[0].vulnerability = "Theirs: no MFA".into();
    let m = git_merge(&base, &ours, &theirs);
    assert!(!m.ok, "git exits non-zero on a conflict:\n{}", m.output);
    assert_eq!(m.register.risks[0].vulnerability, "Ours: flat network");
    assert_eq!(m.register.conflicts.len(), 1);
    let c = &m.register.conflicts[0];
    assert_eq!(
        (c.entity.as_str(), c.id.as_str(), c.field.as_str()),
        ("risk", id.as_str(), "vulnerability")
    );
    assert_eq!(c.ours, "\"Ours: flat network\"");
    assert_eq!(c.theirs, "\"Theirs: no MFA\"");
    let check = run_command(
        riskbench_in(m.dir.path()),
        &["check", FILE, "--today", common::TODAY],
    );
    assert_eq!(check.code, 1);
    assert!(
        check
            .stdout
            .contains(&format!("error[merge-conflict] {id}")),
        "{}",
        check.stdout
    );
}
