//! The threat library (issue 17 item 6): the BSI elementary threats and
//! the ISO/IEC 27005-style examples, complete and valid; `t` adds one to
//! the register with its source as one undoable edit; `riskbench new`
//! starts a register with the BSI list; the control picker of a risk with
//! a library threat offers that threat's suggested controls first.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

mod common;

use common::{app_with, keys, northwind_app, northwind_register, riskbench_in, run_command};
use riskbench::app::{App, Modal, View};
use riskbench::domain::threat_library::ThreatLibrary;
use riskbench::domain::{Catalog, Cia, Register};

// ------------------------------------------------------------ the library

/// 47 BSI threats G 0.1 … G 0.47 in order, the examples after them, every
/// entry with a name, a source, C/I/A and 2–6 valid Annex A controls.
#[test]
fn the_library_is_complete_and_every_control_exists() {
    let lib = ThreatLibrary::get();
    let bsi: Vec<&str> = lib.bsi().map(|t| t.id.as_str()).collect();
    let expected: Vec<String> = (1..=47).map(|n| format!("G 0.{n}")).collect();
    assert_eq!(bsi, expected, "the BSI elementary threats, in order");
    let examples: Vec<_> = lib.threats().iter().filter(|t| !t.is_bsi()).collect();
    assert!(examples.len() >= 20, "{} examples", examples.len());
    assert_eq!(lib.threats().len(), 47 + examples.len());
    for (n, e) in examples.iter().enumerate() {
        assert_eq!(e.id, format!("EX-{:02}", n + 1));
        assert_eq!(e.source, "ISO/IEC 27005 example (own words)");
        assert!(!e.description.is_empty(), "{}: a description", e.id);
        assert_eq!(e.tag(), format!("ISO/IEC 27005 example {}", e.id));
    }
    let mut names = Vec::new();
    for t in lib.threats() {
        assert!(!t.name.trim().is_empty(), "{}: a name", t.id);
        assert!(!t.cia.is_empty(), "{}: C/I/A", t.id);
        assert!(
            (2..=6).contains(&t.controls.len()),
            "{}: {} controls",
            t.id,
            t.controls.len()
        );
        let mut ids = t.controls.clone();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), t.controls.len(), "{}: a control twice", t.id);
        for c in &t.controls {
            assert!(
                Catalog::annex_a().get(c).is_some(),
                "{}: {c} is not Annex A",
                t.id
            );
        }
        if t.is_bsi() {
            assert_eq!(t.tag(), format!("BSI {}", t.id));
        }
        names.push(t.name.to_lowercase());
    }
    let n = names.len();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), n, "two library threats share a name");
}

/// A sample of the BSI names and C/I/A, as the reference data gives them
/// (BSI-Standard 200-3 Table 1 for C/I/A: 0.16 and 0.17 are C and A).
#[test]
fn bsi_names_and_cia_are_the_reference_data() {
    use Cia::{Availability as A, Confidentiality as C, Integrity as I};
    let lib = ThreatLibrary::get();
    for (id, name, cia) in [
        ("G 0.1", "Fire", vec![A]),
        ("G 0.2", "Unfavourable Climatic Conditions", vec![I, A]),
        (
            "G 0.16",
            "Theft of Devices, Storage Media and Documents",
            vec![C, A],
        ),
        (
            "G 0.17",
            "Loss of Devices, Storage Media and Documents",
            vec![C, A],
        ),
        ("G 0.23", "Unauthorised Access to IT Systems", vec![C, I]),
        ("G 0.39", "Malware", vec![C, I, A]),
        ("G 0.40", "Denial of Service", vec![A]),
        (
            "G 0.46",
            "Loss of Integrity of Sensitive Information",
            vec![I],
        ),
        (
            "G 0.47",
            "Harmful Side Effects of IT-Supported Attacks",
            vec![C, I, A],
        ),
    ] {
        let t = lib.by_id(id).unwrap_or_else(|| panic!("{id} missing"));
        assert_eq!((t.name.as_str(), &t.cia), (name, &cia), "{id}");
    }
}

// ------------------------------------------------------- `t` in the workbench

fn picker(app: &App) -> &riskbench::app::picker::Picker {
    match app.modals.last() {
        Some(Modal::Picker(p)) => p,
        other => panic!(
            "expected a picker, got {:?}",
            other.map(|_| "another popup")
        ),
    }
}

/// `t` in the Threats view, "G 0.23", enter: the threat is added with the
/// next id, the BSI name and source "BSI G 0.23", selected; one undo takes
/// it away again.
#[test]
fn t_adds_a_library_threat_with_its_source_and_undo_removes_it() {
    let mut app = northwind_app();
    let before = app.doc.register().clone();
    keys(&mut app, "4 t");
    assert!(
        picker(&app).title.contains("threat"),
        "{}",
        picker(&app).title
    );
    app.type_text("G 0.23");
    assert_eq!(picker(&app).chosen().unwrap().value, "G 0.23");
    keys(&mut app, "enter");
    assert!(app.modals.is_empty());
    let reg = app.doc.register();
    assert_eq!(reg.threats.len(), before.threats.len() + 1);
    let t = reg.threats.last().unwrap();
    assert_eq!(t.id, "T-17", "the next id of the T-nn scheme");
    assert_eq!(t.name, "Unauthorised Access to IT Systems");
    assert_eq!(t.source, "BSI G 0.23");
    assert_eq!(t.shift, 0);
    assert_eq!(app.view, View::Threats);
    assert_eq!(app.selected_item(), Some(reg.threats.len() - 1));
    keys(&mut app, "u");
    assert_eq!(app.doc.register(), &before, "one undo step removes it");
}

/// From another view `t` switches to Threats first; an entry already in
/// the register is selected, not added twice; an example gets its tag.
#[test]
fn t_elsewhere_switches_to_threats_and_never_adds_twice() {
    let mut app = northwind_app();
    keys(&mut app, "2 t");
    assert_eq!(app.view, View::Threats);
    app.type_text("EX-01");
    keys(&mut app, "enter");
    let n = app.doc.register().threats.len();
    let t = app.doc.register().threats.last().unwrap();
    assert_eq!(t.source, "ISO/IEC 27005 example EX-01");
    assert_eq!(t.name, "Ransomware");
    keys(&mut app, "g g t");
    app.type_text("EX-01");
    let hint = picker(&app).chosen().unwrap().hint.clone();
    assert!(hint.contains("in register: T-17"), "{hint}");
    keys(&mut app, "enter");
    assert_eq!(app.doc.register().threats.len(), n, "not added twice");
    assert_eq!(app.selected_item(), Some(n - 1));
}

/// A read-only workbench says so at once instead of offering a picker
/// whose answer could not be applied.
#[test]
fn t_in_a_read_only_workbench_refuses() {
    let mut app = northwind_app();
    app.read_only = true;
    app.read_only_reason = "opened with --read-only".into();
    keys(&mut app, "4 t");
    assert!(app.modals.is_empty());
    let (text, _) = app.message.clone().expect("a message");
    assert!(text.contains("Read-only"), "{text}");
}

/// Tabs to the field `label` of the open form.
fn focus(app: &mut App, label: &str) {
    for _ in 0..40 {
        let Some(Modal::Form(f)) = app.modals.last() else {
            panic!("no form open");
        };
        if f.fields.get(f.focus).is_some_and(|f| f.label == label) {
            return;
        }
        keys(app, "tab");
    }
    panic!("no field {label:?}");
}

/// The threat form shows and edits `source`.
#[test]
fn the_threat_form_edits_the_source() {
    let mut app = northwind_app();
    keys(&mut app, "4 e");
    let Some(Modal::Form(f)) = app.modals.last() else {
        panic!("the threat form");
    };
    assert!(f.fields.iter().any(|f| f.label == "Source"));
    let mut reg = northwind_register();
    reg.threats[0].source = "BSI G 0.39".into();
    let mut app = app_with(reg);
    keys(&mut app, "4 e");
    let Some(Modal::Form(f)) = app.modals.last() else {
        panic!("the threat form");
    };
    let source = f.fields.iter().find(|f| f.label == "Source").unwrap();
    assert_eq!(source.display(), "BSI G 0.39");
    // Clearing it and saving keeps the threat and drops its source.
    focus(&mut app, "Source");
    for _ in 0.."BSI G 0.39".len() {
        keys(&mut app, "backspace");
    }
    keys(&mut app, "enter");
    assert!(app.modals.is_empty(), "saved: {:?}", app.message);
    assert_eq!(app.doc.register().threats[0].source, "");
}

/// The library picker, as drawn at 120×40.
#[test]
fn snapshot_of_the_library_picker() {
    let mut app = northwind_app();
    keys(&mut app, "4 t");
    insta::assert_snapshot!(common::screen(&app, 120, 40));
}

// --------------------------------------------------------- suggested controls

/// Northwind with risk 0's threat taken from BSI G 0.23.
fn with_library_threat() -> (Register, usize) {
    let mut reg = northwind_register();
    let threat = reg.risks[0].threat.clone();
    let at = reg.threats.iter().position(|t| t.id == threat).unwrap();
    reg.threats[at].source = "BSI G 0.23".into();
    (reg, 0)
}

fn control_picker_for(reg: Register, risk: usize) -> App {
    let mut app = app_with(reg);
    keys(&mut app, "2");
    common::select_item(&mut app, risk);
    keys(&mut app, "c");
    picker(&app);
    app
}

/// With nothing typed, the threat's suggested controls come first, in the
/// library's order, each marked; the title names the threat. Typing ranks
/// exactly as a picker without suggestions does.
#[test]
fn the_control_picker_offers_the_threats_suggestions_first_and_marked() {
    let (reg, risk) = with_library_threat();
    let mut app = control_picker_for(reg.clone(), risk);
    let p = picker(&app);
    let suggested = &ThreatLibrary::get().by_id("G 0.23").unwrap().controls;
    let first: Vec<&str> = p.matches[..suggested.len()]
        .iter()
        .map(|(i, _)| p.choices[*i].value.as_str())
        .collect();
    assert_eq!(
        first,
        suggested.iter().map(String::as_str).collect::<Vec<_>>()
    );
    for (i, _) in &p.matches[..suggested.len()] {
        assert!(
            p.choices[*i].hint.starts_with("★ suggested"),
            "{:?}",
            p.choices[*i]
        );
    }
    let (next, _) = p.matches[suggested.len()];
    assert!(!p.choices[next].hint.contains("suggested"));
    assert!(p.title.contains("suggested for BSI G 0.23"), "{}", p.title);
    assert_eq!(
        p.matches.len(),
        p.choices.len(),
        "every control is still offered"
    );
    let text = common::screen(&app, 120, 40);
    assert!(text.contains("★ suggested"), "{text}");

    // Without the library threat: the plain picker.
    let plain = control_picker_for(northwind_register(), risk);
    let plain_first: Vec<&str> = picker(&plain).matches[..3]
        .iter()
        .map(|(i, _)| picker(&plain).choices[*i].value.as_str())
        .collect();
    assert_eq!(plain_first, ["5.1", "5.2", "5.3"]);

    // A query ranks as before.
    let mut plain = plain;
    for q in ["backup", "mfa", "8.5", "access"] {
        app.type_text(q);
        plain.type_text(q);
        let ranked = |a: &App| -> Vec<String> {
            let p = picker(a);
            p.matches
                .iter()
                .map(|(i, _)| p.choices[*i].value.clone())
                .collect()
        };
        assert_eq!(ranked(&app), ranked(&plain), "query {q:?}");
        for _ in 0..q.len() {
            keys(&mut app, "backspace");
            keys(&mut plain, "backspace");
        }
    }
}

/// In a new risk's form, picking a library threat fills in its C/I/A, and
/// the Controls field's picker then offers its suggestions first.
#[test]
fn a_new_risks_form_takes_cia_and_suggestions_from_a_library_threat() {
    let (reg, risk) = with_library_threat();
    let threat = reg.risks[risk].threat.to_string();
    let mut app = app_with(reg);
    keys(&mut app, "2 a");
    focus(&mut app, "Threat");
    keys(&mut app, "ctrl-l");
    app.type_text(&threat);
    assert_eq!(
        picker(&app).chosen().unwrap().hint,
        "BSI G 0.23",
        "the source shows"
    );
    keys(&mut app, "enter");
    let Some(Modal::Form(f)) = app.modals.last() else {
        panic!(
            "back in the risk form: {} popups, {:?}",
            app.modals.len(),
            app.message
        );
    };
    let cia = f.fields.iter().find(|f| f.label == "C/I/A").unwrap();
    assert_eq!(cia.display(), "C·I", "G 0.23 concerns C and I");
    focus(&mut app, "Controls");
    keys(&mut app, "ctrl-l");
    let p = picker(&app);
    let (i, _) = p.matches[0];
    assert_eq!(p.choices[i].value, "5.15");
    assert!(p.choices[i].hint.starts_with("★ suggested"));
}

// ------------------------------------------------------------ riskbench new

fn run_in(dir: &std::path::Path, args: &[&str]) -> common::Run {
    run_command(
        riskbench_in(dir),
        &[args, &["--today", common::TODAY]].concat(),
    )
}

fn load(path: &std::path::Path) -> Register {
    riskbench::store::parse_str("new.ron", &std::fs::read_to_string(path).unwrap())
        .unwrap()
        .register
}

/// `riskbench new` starts from the 47 BSI threats with their sources;
/// the file is canonical and `check` finds no error and nothing more than
/// in a register without them.
#[test]
fn new_starts_with_the_bsi_threats_and_check_stays_clean() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_in(dir.path(), &["new", "acme.ron", "--no-open"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("47 threats"), "{}", run.stderr);
    let file = dir.path().join("acme.ron");
    let reg = load(&file);
    assert_eq!(reg.threats.len(), 47);
    for (n, t) in reg.threats.iter().enumerate() {
        assert_eq!(t.id, format!("T-{:02}", n + 1));
        assert_eq!(t.source, format!("BSI G 0.{}", n + 1));
    }
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains(r#"source: "BSI G 0.23""#), "{text}");
    assert_eq!(text, riskbench::domain::canonical::to_canonical(&reg));
    let check = run_in(dir.path(), &["check", "acme.ron", "--format", "json"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);

    let none = run_in(
        dir.path(),
        &["new", "bare.ron", "--threats", "none", "--no-open"],
    );
    assert_eq!(none.code, 0, "{}", none.stderr);
    assert!(load(&dir.path().join("bare.ron")).threats.is_empty());
    let bare = run_in(dir.path(), &["check", "bare.ron", "--format", "json"]);
    // (code, at, message) of each error and warning: the positions move
    // with the threats' lines.
    let findings = |out: &str| -> Vec<(String, String, String, String)> {
        let v: serde_json::Value = serde_json::from_str(out).unwrap();
        let mut all = Vec::new();
        for kind in ["errors", "warnings"] {
            for f in v[kind].as_array().unwrap() {
                let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
                all.push((kind.to_string(), s("code"), s("at"), s("message")));
            }
        }
        all
    };
    let with = findings(&check.stdout);
    assert!(with.iter().all(|f| f.0 == "warnings"), "no error: {with:?}");
    assert_eq!(with, findings(&bare.stdout), "the threats add no finding");
}

/// `--threats all` adds the examples too; an example register keeps its
/// own threats unless asked, and with `--threats bsi` gets the BSI ones
/// after its own, with fresh ids, still passing `check`.
#[test]
fn new_threats_all_and_with_an_example() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_in(
        dir.path(),
        &["new", "all.ron", "--threats", "all", "--no-open"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let reg = load(&dir.path().join("all.ron"));
    assert_eq!(reg.threats.len(), ThreatLibrary::get().threats().len());
    assert!(
        reg.threats
            .iter()
            .any(|t| t.source == "ISO/IEC 27005 example EX-30")
    );

    let run = run_in(
        dir.path(),
        &["new", "nw.ron", "--from", "northwind", "--no-open"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(load(&dir.path().join("nw.ron")), northwind_register());

    let run = run_in(
        dir.path(),
        &[
            "new",
            "nw-bsi.ron",
            "--from",
            "northwind",
            "--threats",
            "bsi",
            "--no-open",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let reg = load(&dir.path().join("nw-bsi.ron"));
    let own = northwind_register().threats.len();
    assert_eq!(reg.threats.len(), own + 47);
    assert_eq!(reg.threats[own].id, format!("T-{}", own + 1));
    assert_eq!(reg.threats[own].source, "BSI G 0.1");
    let check = run_in(dir.path(), &["check", "nw-bsi.ron"]);
    assert_eq!(check.code, 0, "{}", check.stdout);

    let bad = run_in(
        dir.path(),
        &["new", "x.ron", "--threats", "nist", "--no-open"],
    );
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(!dir.path().join("x.ron").exists());
}
