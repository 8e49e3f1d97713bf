//! `riskbench merge BASE OURS THEIRS [-o OUT]`: the three-way merge of
//! registers by entity and field (`domain::merge`), made to be git's merge
//! driver (`riskbench merge %O %A %B -o %A`); and `riskbench merge
//! --install [--global] [PATTERN]`, which sets git up to use it.
//!
//! Exit status, as git reads a driver's: 0 merged cleanly; 1 the register
//! needs a person — conflicts (recorded in its `conflicts`, ours kept), or
//! errors the merge created that neither side had (an exclusion meeting a
//! new link). The second is 1 too, though nothing conflicts textually: a
//! register that `check` refuses would otherwise be committed by git
//! without anyone looking, and `soa`, `risks` and `diff` refuse it. The
//! merged file is written in both cases (git needs it, and it parses); 2
//! is a usage error or an input that does not parse (its `FILE:LINE:COL`),
//! and then nothing is written.
//!
//! The output is written atomically, canonical, without a `.bak`: git
//! hands the driver a temporary copy (`%A`) and a backup of it would be
//! left in the work tree as an untracked file. Without `-o` the merged
//! register goes to stdout; messages always go to stderr.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use clap::Args;

use crate::domain::canonical::to_canonical;
use crate::domain::merge::{describe, merge_checked};
use crate::domain::{Finding, Register};
use crate::store::{self, WriteOptions};

use super::{EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK};

/// The attribute value `.gitattributes` lines name the driver by.
pub const DRIVER: &str = "riskbench";

/// The pattern `--install` writes when none is given.
pub const DEFAULT_PATTERN: &str = "*.ron";

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// BASE OURS THEIRS: the common ancestor, this branch's register (the
    /// result keeps it where the two conflict) and the other branch's.
    /// With --install: the optional PATTERN (default `*.ron`).
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Write the merged register here (git: `-o %A`) instead of stdout.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Set git up to merge registers with riskbench: the `.gitattributes`
    /// line and the driver in git's config.
    #[arg(long)]
    pub install: bool,
    /// With --install: for every repository of this user (`git config
    /// --global` and the global attributes file).
    #[arg(long, requires = "install")]
    pub global: bool,
    /// With --install: the driver runs this executable by its absolute
    /// path instead of `riskbench` from PATH.
    #[arg(long, requires = "install")]
    pub driver_path: bool,
}

pub fn run(args: &MergeArgs, today: NaiveDate) -> Result<i32, i32> {
    if args.install {
        let pattern = match args.files.as_slice() {
            [] => DEFAULT_PATTERN.to_string(),
            [p] => p.to_string_lossy().into_owned(),
            _ => {
                crate::ewarn!("merge --install takes at most one PATTERN (like `*.ron`)");
                return Err(EXIT_BAD_INPUT);
            }
        };
        return install(&pattern, args.global, args.driver_path);
    }
    let [base, ours, theirs] = args.files.as_slice() else {
        crate::ewarn!(
            "merge needs three registers: BASE OURS THEIRS (git runs `riskbench merge %O %A %B -o %A`)"
        );
        return Err(EXIT_BAD_INPUT);
    };
    let [b, o, t] = load_three([base, ours, theirs])?;
    let result = merge_checked(&b, &o, &t, today);
    drop((b, t));
    let text = to_canonical(&result.register);
    match &args.output {
        Some(out) => {
            store::write_atomic(out, text.as_bytes(), WriteOptions::default()).map_err(|e| {
                crate::ewarn!("{e} (nothing written)");
                EXIT_BAD_INPUT
            })?;
        }
        None => super::emit(&text),
    }
    report(&result.register, &result.conflicts, &result.findings);
    if result.conflicts.is_empty() && result.findings.is_empty() {
        Ok(EXIT_OK)
    } else {
        Ok(EXIT_FINDINGS)
    }
}

/// Parses the three inputs side by side (at 100,000 risks each parse is
/// the larger part of a merge); the first that fails is reported with its
/// position.
fn load_three(paths: [&PathBuf; 3]) -> Result<[Register; 3], i32> {
    let loaded: Vec<_> = std::thread::scope(|s| {
        let jobs: Vec<_> = paths
            .iter()
            .map(|p| s.spawn(move || store::load_file(p)))
            .collect();
        jobs.into_iter().map(|j| j.join()).collect()
    });
    let mut out = Vec::with_capacity(3);
    for (l, p) in loaded.into_iter().zip(paths) {
        match l {
            Ok(Ok(l)) => out.push(l.register),
            Ok(Err(e)) => {
                crate::ewarn!("{e}");
                crate::ewarn!("merge: nothing written");
                return Err(EXIT_BAD_INPUT);
            }
            Err(_) => {
                crate::ewarn!("{}: cannot be read", p.display());
                return Err(EXIT_BAD_INPUT);
            }
        }
    }
    out.try_into().map_err(|_| EXIT_BAD_INPUT)
}

/// The summary on stderr: each conflict, each new error, and what to do.
/// The files are not named: git hands the driver temporary copies, and
/// says itself which register the merge was about.
fn report(merged: &Register, conflicts: &[crate::domain::Conflict], findings: &[Finding]) {
    for c in conflicts {
        crate::ewarn!("merge: conflict: {}", describe(c));
    }
    for f in findings {
        crate::ewarn!("merge: new error {} at {} ({})", f.code, f.at, f.message);
    }
    let earlier = merged.conflicts.len().saturating_sub(conflicts.len());
    if conflicts.is_empty() && findings.is_empty() {
        crate::ewarn!("merge: merged cleanly");
        return;
    }
    if !conflicts.is_empty() {
        crate::ewarn!(
            "merge: {} conflict{} recorded in `conflicts` (the register keeps ours; nothing is lost){}; resolve them in the workbench (key C) or edit the file, then `riskbench check`",
            conflicts.len(),
            if conflicts.len() == 1 { "" } else { "s" },
            if earlier > 0 {
                format!(", {earlier} from an earlier merge still open")
            } else {
                String::new()
            }
        );
    }
    if !findings.is_empty() {
        crate::ewarn!(
            "merge: {} new error{} that neither side had; fix before committing (see `riskbench check`)",
            findings.len(),
            if findings.len() == 1 { "" } else { "s" }
        );
    }
}

/// Writes the attributes line and the driver's config (see [`run`]).
fn install(pattern: &str, global: bool, driver_path: bool) -> Result<i32, i32> {
    if pattern.trim().is_empty() || pattern.contains(['\n', '\r']) {
        crate::ewarn!("merge --install: PATTERN must be one gitattributes pattern, like `*.ron`");
        return Err(EXIT_BAD_INPUT);
    }
    let program = if driver_path {
        let exe = std::env::current_exe().map_err(|e| {
            crate::ewarn!("merge --install: cannot tell where this riskbench is: {e}");
            EXIT_BAD_INPUT
        })?;
        shell_quote(&exe.to_string_lossy())
    } else {
        DRIVER.to_string()
    };
    let driver = driver_line(&program);
    let attributes = if global {
        global_attributes()?
    } else {
        let top = git(&["rev-parse", "--show-toplevel"], false)?;
        PathBuf::from(top.trim()).join(".gitattributes")
    };
    git(
        &[
            "config",
            "merge.riskbench.name",
            "riskbench: registers merged by entity and field",
        ],
        global,
    )?;
    git(&["config", "merge.riskbench.driver", &driver], global)?;
    let line = format!("{pattern} merge={DRIVER}");
    let added = add_line(&attributes, &line)?;
    let scope = if global { " --global" } else { "" };
    crate::ewarn!("merge: git config{scope} merge.riskbench.driver \"{driver}\"");
    if added {
        crate::ewarn!("merge: added `{line}` to {}", attributes.display());
    } else {
        crate::ewarn!("merge: {} already has `{line}`", attributes.display());
    }
    Ok(EXIT_OK)
}

/// The driver command git runs: `%O` base, `%A` ours (and the result),
/// `%B` theirs.
pub fn driver_line(program: &str) -> String {
    format!("{program} merge %O %A %B -o %A")
}

/// `s` as one shell word (git runs the driver through the shell).
fn shell_quote(s: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-+:@".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// Runs `git ARGS` (with `--global` after `config` when asked) and returns
/// its output; a failure is reported with git's own message.
fn git(args: &[&str], global: bool) -> Result<String, i32> {
    let mut cmd = Command::new("git");
    match args.split_first() {
        Some((first, rest)) if global => cmd.arg(first).arg("--global").args(rest),
        _ => cmd.args(args),
    };
    let out = cmd.output().map_err(|e| {
        crate::ewarn!("merge --install: cannot run git: {e}");
        EXIT_BAD_INPUT
    })?;
    if !out.status.success() {
        crate::ewarn!(
            "merge --install: `git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        );
        return Err(EXIT_BAD_INPUT);
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Where git reads the user's attributes: `core.attributesFile` when set,
/// else `$XDG_CONFIG_HOME/git/attributes`, else
/// `$HOME/.config/git/attributes` (gitattributes(5)).
fn global_attributes() -> Result<PathBuf, i32> {
    let set = Command::new("git")
        .args([
            "config",
            "--global",
            "--path",
            "--get",
            "core.attributesFile",
        ])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|s| !s.is_empty());
    if let Some(path) = set {
        return Ok(PathBuf::from(path));
    }
    let env = |k| std::env::var_os(k).filter(|v: &std::ffi::OsString| !v.is_empty());
    if let Some(xdg) = env("XDG_CONFIG_HOME") {
        return Ok(PathBuf::from(xdg).join("git").join("attributes"));
    }
    if let Some(home) = env("HOME") {
        return Ok(PathBuf::from(home).join(".config/git/attributes"));
    }
    crate::ewarn!("merge --install --global: neither XDG_CONFIG_HOME nor HOME is set");
    Err(EXIT_BAD_INPUT)
}

/// Appends `line` to the attributes file unless it holds it already; the
/// rest of the file is kept as it is. Returns whether it was added.
fn add_line(path: &Path, line: &str) -> Result<bool, i32> {
    let existing = match std::fs::read(path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            crate::ewarn!("{}: cannot read: {e}", path.display());
            return Err(EXIT_BAD_INPUT);
        }
    };
    if existing.lines().any(|l| l.trim() == line) {
        return Ok(false);
    }
    let mut text = existing;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(line);
    text.push('\n');
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            crate::ewarn!("{}: cannot create: {e}", dir.display());
            EXIT_BAD_INPUT
        })?;
    }
    store::write_atomic(path, text.as_bytes(), WriteOptions::default()).map_err(|e| {
        crate::ewarn!("{e}");
        EXIT_BAD_INPUT
    })?;
    Ok(true)
}
