//! `riskbench minutes FILE --since REV|--from OLD.ron [--format md|html]
//! [-o OUT] [--force] [--attendees "A, B"]`: the record of a risk workshop
//! (what the room decided between the register as it was and as it is),
//! for the ISMS's retained documented information. The comparison is
//! `diff`'s (`--since REV` reads FILE at a git revision exactly as `diff
//! --git REV` does); the document is `export::minutes`.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, ValueEnum};

use crate::domain::diff::compare;
use crate::export::minutes::{Heading, attendees, html, markdown};
use crate::store;

use super::{EXIT_BAD_INPUT, EXIT_OK};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MinutesFormat {
    Md,
    Html,
}

#[derive(Debug, Args)]
pub struct MinutesArgs {
    /// The register as it is after the workshop.
    pub file: PathBuf,
    /// The register before: FILE as committed at this git revision.
    #[arg(long, value_name = "REV")]
    pub since: Option<String>,
    /// The register before: another file.
    #[arg(long, value_name = "OLD.ron")]
    pub from: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = MinutesFormat::Md)]
    pub format: MinutesFormat,
    /// Write the minutes to this file instead of printing them.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace the -o file if it exists (never a risk register).
    #[arg(long)]
    pub force: bool,
    /// Who attended, separated by commas ("Ana Lopez, Ben Okafor").
    #[arg(long, value_name = "NAMES", default_value = "")]
    pub attendees: String,
}

/// The file name alone: the minutes name the register, not the machine's
/// folders.
fn name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

pub fn run(args: &MinutesArgs, today: NaiveDate) -> Result<i32, i32> {
    let file = &args.file;
    if let Some(out) = &args.output {
        store::check_output(out, args.force, store::OutputKind::Document).map_err(|m| {
            crate::ewarn!("{m}");
            EXIT_BAD_INPUT
        })?;
    }
    let ((old, old_an), since) = match (&args.since, &args.from) {
        (Some(rev), None) => {
            let text = super::diff::git_show(file, rev).map_err(|e| {
                crate::ewarn!("{e}");
                EXIT_BAD_INPUT
            })?;
            let label = format!("{}@{rev}", file.display());
            let loaded =
                store::parse_str(&label, &text).map(|l| (l, store::Located::new(text.clone())));
            (
                super::diff::analysed(&label, loaded, today)?,
                format!("{} at git revision {rev}", name(file)),
            )
        }
        (None, Some(from)) => (
            super::diff::analysed(
                &from.display().to_string(),
                store::load_file_located(from),
                today,
            )?,
            name(from),
        ),
        _ => {
            crate::ewarn!(
                "minutes: give what the register is compared with: --since REV (FILE at a git \
                 revision) or --from OLD.ron (another file), one of them"
            );
            return Err(EXIT_BAD_INPUT);
        }
    };
    let (new, new_an) = super::diff::analysed(
        &file.display().to_string(),
        store::load_file_located(file),
        today,
    )?;
    let d = compare(&old, &old_an, &new, &new_an);
    let m = crate::domain::minutes::minutes(&d, &old, &new);
    let heading = Heading {
        register: new.name.clone(),
        date: today,
        attendees: attendees(&args.attendees),
        since,
    };
    let text = match args.format {
        MinutesFormat::Md => markdown(&heading, &m),
        MinutesFormat::Html => html(&heading, &m),
    };
    super::format::deliver(&text, args.output.as_deref())?;
    if let Some(out) = &args.output {
        crate::ewarn!("wrote {}: workshop minutes", out.display());
    }
    Ok(EXIT_OK)
}
