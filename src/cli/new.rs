//! `riskbench new FILE [--from template|northwind|nist]
//! [--threats bsi|all|none] [--no-open]`, and the offer to create a
//! register that `riskbench FILE` does not find.
//!
//! A register from the template starts with the 47 BSI elementary threats
//! (`--threats bsi`, its default): a workshop should not begin with an
//! empty threat list, and BSI's list is a complete checklist meant to be
//! gone through. The examples keep their own threats (`--threats none`,
//! their default); `--threats` adds the library's to them when asked.
//!
//! The three sources are built into the binary, so `new` works from any
//! directory. A new register never replaces anything: an existing file (a
//! register or not), a symbolic link or anything else at FILE is refused
//! with exit 2 and left as it is. Missing folders on the way are created,
//! and the message says which.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::ValueEnum;

use crate::domain::Register;
use crate::domain::canonical::to_canonical;
use crate::domain::threat_library::{Starter, ThreatLibrary};
use crate::store::{self, WriteOptions};

use super::{EXIT_BAD_INPUT, EXIT_OK};

const TEMPLATE: &str = include_str!("../../registers/template.ron");
const NORTHWIND: &str = include_str!("../../registers/northwind.ron");
const NIST: &str = include_str!("../../registers/nist-800-30.ron");

/// What a new register starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Source {
    /// The method, scales and environment factors of a typical ISMS, and
    /// the threats `--threats` names (the BSI elementary threats unless
    /// told otherwise); no assets or risks. Named after the file.
    #[default]
    Template,
    /// The Northwind Analytics example (a small SaaS company, 40 risks).
    Northwind,
    /// The NIST SP 800-30 flavoured example (a federal case-management
    /// system, with a level matrix).
    Nist,
}

impl Source {
    fn text(self) -> &'static str {
        match self {
            Source::Template => TEMPLATE,
            Source::Northwind => NORTHWIND,
            Source::Nist => NIST,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Source::Template => "the template",
            Source::Northwind => "the Northwind example",
            Source::Nist => "the NIST SP 800-30 example",
        }
    }
}

/// The threats a new register starts with (`--threats`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Threats {
    /// The 47 BSI elementary threats G 0.1–G 0.47 (the template's default).
    Bsi,
    /// The BSI threats and the ISO/IEC 27005-style examples.
    All,
    /// None from the library (the examples' default: they have their own).
    None,
}

impl Threats {
    /// What `new` uses when `--threats` is not given: the BSI list for the
    /// template, nothing more for the examples.
    pub fn default_for(source: Source) -> Threats {
        match source {
            Source::Template => Threats::Bsi,
            Source::Northwind | Source::Nist => Threats::None,
        }
    }

    fn starter(self) -> Starter {
        match self {
            Threats::Bsi => Starter::Bsi,
            Threats::All => Starter::All,
            Threats::None => Starter::None,
        }
    }
}

/// The register `source` gives for a file at `path`. The template takes
/// the file's name (`acme-isms.ron` → "acme-isms"): it is the start of
/// the user's own ISMS, and its placeholder name would otherwise end up in
/// every export. The examples keep their own names, since everything in
/// them is about that organisation.
///
/// `threats` adds library threats (with their `source`), after the
/// source's own.
pub(crate) fn register_for(
    source: Source,
    path: &Path,
    threats: Threats,
) -> Result<Register, String> {
    let mut reg = store::parse_str(source.describe(), source.text())
        .map_err(|e| format!("the built-in register is broken (a bug): {e}"))?
        .register;
    if source == Source::Template
        && let Some(stem) = path.file_stem()
    {
        reg.name = stem.to_string_lossy().into_owned();
    }
    ThreatLibrary::get().add_starter(&mut reg, threats.starter());
    Ok(reg)
}

/// Writes a new register from `source` at `path`, creating missing
/// folders; never over anything. Returns the lines to tell the user.
///
/// Nothing may be at `path` when it is checked; the write itself then goes
/// through the store's atomic writer (temporary file, rename), so an
/// interrupted `new` leaves no half-written register.
pub fn create(path: &Path, source: Source, threats: Threats) -> Result<Vec<String>, String> {
    if path.file_name().is_none() {
        return Err(format!("{}: not a file name", path.display()));
    }
    match store::write::existing_regular(path)? {
        None => {}
        Some(_) => {
            return Err(format!(
                "{} already exists; riskbench new never replaces a file \
                 (open it with `riskbench {}`, or choose another name)",
                path.display(),
                path.display()
            ));
        }
    }
    let mut said = Vec::new();
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && std::fs::symlink_metadata(dir).is_err()
    {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("{}: cannot create the folder: {e}", dir.display()))?;
        said.push(format!("created the folder {}", dir.display()));
    }
    let reg = register_for(source, path, threats)?;
    let text = to_canonical(&reg);
    store::write_atomic(path, text.as_bytes(), WriteOptions::default())
        .map_err(|e| e.to_string())?;
    said.push(format!(
        "{}: new register {:?} from {} ({} threats, {} risks)",
        path.display(),
        reg.name,
        source.describe(),
        reg.threats.len(),
        reg.risks.len()
    ));
    Ok(said)
}

/// `riskbench new`: writes the register, then opens it in the workbench
/// unless `no_open` (scripts, tests).
pub fn run(
    path: &Path,
    source: Source,
    threats: Option<Threats>,
    no_open: bool,
    keymap: Option<String>,
    today: NaiveDate,
) -> Result<i32, i32> {
    let threats = threats.unwrap_or_else(|| Threats::default_for(source));
    let said = create(path, source, threats).map_err(|e| {
        crate::ewarn!("{e}");
        EXIT_BAD_INPUT
    })?;
    for line in said {
        crate::ewarn!("{line}");
    }
    if no_open {
        return Ok(EXIT_OK);
    }
    Ok(crate::tui::run(
        Some(path.to_path_buf()),
        keymap,
        today,
        false,
    ))
}

/// `riskbench [FILE] [--present]`: a file that is not there is offered for
/// creation first, before the terminal is taken over; then the workbench
/// runs (in the focus view with `present`).
pub fn open(file: Option<PathBuf>, keymap: Option<String>, today: NaiveDate, present: bool) -> i32 {
    if let Some(p) = &file
        && let Err(code) = offer_if_missing(p)
    {
        return code;
    }
    crate::tui::run(file, keymap, today, present)
}

/// Before the workbench opens `path`: when nothing is there, offer to
/// create a register from the template. At a terminal the question is
/// asked on stderr and answered on stdin (the workbench is not up yet);
/// otherwise, and on any answer but yes, nothing is written and the exit
/// code is 2, with the command that creates it. `Ok` when there is a file
/// to open (it was there, or was just created).
pub(crate) fn offer_if_missing(path: &Path) -> Result<(), i32> {
    // Anything at all there (a dangling link too) is for the loader to
    // open or to explain.
    if std::fs::symlink_metadata(path).is_ok() {
        return Ok(());
    }
    let how = format!("riskbench new {}", path.display());
    if !std::io::stdin().is_terminal() {
        crate::ewarn!(
            "{} does not exist; to start a new register there: {how}",
            path.display()
        );
        return Err(EXIT_BAD_INPUT);
    }
    let folder = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty() && std::fs::symlink_metadata(d).is_err())
        .map(|d| format!(" (and the folder {})", d.display()))
        .unwrap_or_default();
    let question = format!(
        "{} does not exist. Create a new register there from the template{folder}? [y/N] ",
        path.display()
    );
    {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "{}", crate::escape::for_terminal(&question));
        let _ = err.flush();
    }
    let mut answer = String::new();
    // End of input or a read error is a no.
    let _ = std::io::stdin().lock().read_line(&mut answer);
    if !matches!(answer.trim().to_lowercase().as_str(), "y" | "yes") {
        crate::ewarn!("Nothing created. To start a new register there later: {how}");
        return Err(EXIT_BAD_INPUT);
    }
    match create(
        path,
        Source::Template,
        Threats::default_for(Source::Template),
    ) {
        Ok(said) => {
            for line in said {
                crate::ewarn!("{line}");
            }
            Ok(())
        }
        Err(e) => {
            crate::ewarn!("{e}");
            Err(EXIT_BAD_INPUT)
        }
    }
}
