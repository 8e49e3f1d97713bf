//! `riskbench merge BASE OURS THEIRS [-o OUT]` from the command line
//! (issue 18): bad input is refused with its position and nothing written,
//! the output is canonical and byte-stable, and the exit status says
//! whether a person is needed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::{northwind_register, riskbench_in, run_command};
use riskbench::domain::Register;
use riskbench::domain::canonical::to_canonical;

fn put(dir: &Path, name: &str, reg: &Register) -> String {
    let path = dir.join(name);
    std::fs::write(&path, to_canonical(reg)).unwrap();
    name.to_string()
}

#[test]
fn merging_a_register_with_itself_gives_its_canonical_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let reg = northwind_register();
    put(d, "x.ron", &reg);
    let run = run_command(
        riskbench_in(d),
        &["merge", "x.ron", "x.ron", "x.ron", "-o", "out.ron"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        std::fs::read(d.join("out.ron")).unwrap(),
        std::fs::read(d.join("x.ron")).unwrap()
    );
    assert!(
        !d.join("out.ron.bak").exists(),
        "no backup left in a work tree"
    );
    assert!(run.stderr.contains("merged cleanly"), "{}", run.stderr);
}

#[test]
fn without_output_the_merged_register_goes_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let base = northwind_register();
    let mut theirs = base.clone();
    theirs.name = "Renamed on the other branch".into();
    put(d, "b.ron", &base);
    put(d, "t.ron", &theirs);
    let run = run_command(riskbench_in(d), &["merge", "b.ron", "b.ron", "t.ron"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, to_canonical(&theirs));
}

#[test]
fn a_malformed_input_is_exit_2_with_its_position_and_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let reg = northwind_register();
    put(d, "b.ron", &reg);
    let broken = to_canonical(&reg).replacen("likelihood: 4,", "likelihod: 4,", 1);
    std::fs::write(d.join("t.ron"), broken).unwrap();
    std::fs::write(d.join("out.ron"), "untouched").unwrap();
    let run = run_command(
        riskbench_in(d),
        &["merge", "b.ron", "b.ron", "t.ron", "-o", "out.ron"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    let first = run.stderr.lines().next().unwrap_or_default();
    let parts: Vec<&str> = first.splitn(4, ':').collect();
    assert_eq!(parts[0], "t.ron", "{first}");
    assert!(
        parts[1].parse::<u32>().is_ok() && parts[2].parse::<u32>().is_ok(),
        "{first}"
    );
    assert_eq!(
        std::fs::read_to_string(d.join("out.ron")).unwrap(),
        "untouched"
    );
}

#[test]
fn two_files_are_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    put(dir.path(), "b.ron", &northwind_register());
    let run = run_command(riskbench_in(dir.path()), &["merge", "b.ron", "b.ron"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("BASE OURS THEIRS"), "{}", run.stderr);
}

#[test]
fn a_conflict_is_exit_1_with_a_summary_and_the_file_still_written() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let base = northwind_register();
    let mut ours = base.clone();
    ours.method.appetite = 8;
    let mut theirs = base.clone();
    theirs.method.appetite = 12;
    put(d, "b.ron", &base);
    put(d, "o.ron", &ours);
    put(d, "t.ron", &theirs);
    let run = run_command(
        riskbench_in(d),
        &["merge", "b.ron", "o.ron", "t.ron", "-o", "o.ron"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("conflict: method method appetite: ours 8, theirs 12 (base 9)"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("1 conflict recorded"), "{}", run.stderr);
    let text = std::fs::read_to_string(d.join("o.ron")).unwrap();
    assert!(text.contains(
        "(entity: \"method\", id: \"method\", field: \"appetite\", base: \"9\", ours: \"8\", theirs: \"12\")"
    ), "{text}");
}

#[test]
fn diff_lists_the_conflicts_of_a_merged_register_first_then_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let base = northwind_register();
    let mut ours = base.clone();
    ours.risks[0].likelihood = 2;
    let mut theirs = base.clone();
    theirs.risks[0].likelihood = 5;
    let merged = riskbench::domain::merge::merge(&base, &ours, &theirs).register;
    put(d, "b.ron", &base);
    put(d, "m.ron", &merged);
    let run = run_command(
        riskbench_in(d),
        &["diff", "b.ron", "m.ron", "--today", common::TODAY],
    );
    let id = &base.risks[0].id;
    let conflict = format!(
        "risk {id} likelihood: ours 2, theirs 5 (base {})",
        base.risks[0].likelihood
    );
    // The conflicts are errors: on stderr, and the exit status says so.
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stderr.trim(),
        format!("m.ron: error[merge-conflict] {conflict}")
    );
    // The output shows them first, then what changed (ours' value).
    let mut lines = run.stdout.lines();
    assert_eq!(
        lines.next(),
        Some(
            "Conflicts: 1 from a merge, unresolved (the register holds ours for each; key C in the workbench)"
        )
    );
    assert_eq!(lines.next().map(str::trim), Some(conflict.as_str()));
    let rest: Vec<&str> = lines.collect();
    assert!(
        rest.iter()
            .any(|l| l.contains(id.as_str()) && l.contains("likelihood")),
        "{}",
        run.stdout
    );

    // Any other error still refuses the register, conflicts or not.
    let mut broken = merged.clone();
    broken.risks[1].asset = "A-NOPE".into();
    put(d, "x.ron", &broken);
    let run = run_command(
        riskbench_in(d),
        &["diff", "b.ron", "x.ron", "--today", common::TODAY],
    );
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "", "refused: nothing compared");
    assert!(
        run.stderr.starts_with(
            "x.ron: Conflicts: 1 unresolved from a merge (the register holds ours for each)"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("resolve the merge conflicts first"),
        "{}",
        run.stderr
    );
}
