//! What the integration tests that run the `riskbench` binary share: the
//! fixed day, the crate root, and running the binary with the checks every
//! such test wants (UTF-8 output, no panic, a normal exit).

// Each test crate uses the part it needs.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The day every command is run on, so results are reproducible.
pub const TODAY: &str = "2026-12-01";

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A finished run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The binary, to be run in `dir`.
pub fn riskbench_in(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("riskbench").expect("the riskbench binary is built");
    cmd.current_dir(dir);
    cmd
}

/// Runs `cmd` with `args`; insists on UTF-8 output, no panic and a normal
/// exit (not killed by a signal).
pub fn run_command(mut cmd: Command, args: &[&str]) -> Run {
    let out = cmd.args(args).output().expect("riskbench runs");
    let stdout = String::from_utf8(out.stdout).expect("stdout is UTF-8");
    let stderr = String::from_utf8(out.stderr).expect("stderr is UTF-8");
    assert!(
        !stderr.contains("panicked"),
        "riskbench {args:?} panicked:\n{stderr}"
    );
    let code = out
        .status
        .code()
        .unwrap_or_else(|| panic!("riskbench {args:?} was killed by a signal:\n{stderr}"));
    Run {
        code,
        stdout,
        stderr,
    }
}

/// `riskbench ARGS --today TODAY` from the crate root.
pub fn run_today(args: &[&str]) -> Run {
    run_command(riskbench_in(&root()), &[args, &["--today", TODAY]].concat())
}
