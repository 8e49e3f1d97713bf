//! `riskbench import FILE.csv -o REGISTER.ron [--map "Column=field"]…
//! [--skip-bad-rows] [--name NAME] [--delimiter D] [--force] [--dry-run]`.
//!
//! The report (columns, assumptions, unimportable rows as
//! `FILE:LINE:COL: reason`, counts) goes to stderr. Exit 0 written (or dry
//! run), 1 rows could not be imported and nothing was written, 2 unreadable
//! or malformed CSV, bad options, the output exists without `--force`, or
//! the output is a risk register (never replaced, even with `--force`).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::Args;

use crate::domain::Analysis;
use crate::domain::canonical::to_canonical;
use crate::import::{ImportError, ImportOptions, import_csv};
use crate::store;

use super::{EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK};

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The spreadsheet's CSV export (comma, semicolon or tab separated).
    pub file: PathBuf,
    /// The register file to write.
    #[arg(short, long, value_name = "REGISTER.ron")]
    pub output: PathBuf,
    /// Read a column as a field: "Column name=field" (fields: id, title,
    /// asset, asset_kind, asset_owner, threat, vulnerability, likelihood,
    /// impact, treatment, controls, owner, reviewed, due; or ignore).
    /// Repeatable.
    #[arg(long = "map", value_name = "COLUMN=FIELD")]
    pub map: Vec<String>,
    /// Import the good rows even when some rows cannot be imported.
    #[arg(long)]
    pub skip_bad_rows: bool,
    /// The register's name (default: the CSV file's name).
    #[arg(long)]
    pub name: Option<String>,
    /// The delimiter, instead of detecting it: `,` `;` `tab` or `|`.
    #[arg(long, value_parser = parse_delimiter)]
    pub delimiter: Option<char>,
    /// Replace the output file if it exists (kept as FILE.bak). A risk
    /// register is never replaced, even with --force.
    #[arg(long)]
    pub force: bool,
    /// Print the report only; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

fn parse_delimiter(s: &str) -> Result<char, String> {
    match s {
        "," | "comma" => Ok(','),
        ";" | "semicolon" => Ok(';'),
        "\t" | "tab" | "\\t" => Ok('\t'),
        "|" | "pipe" => Ok('|'),
        _ => Err(format!("{s:?}: expected , ; tab or |")),
    }
}

/// Checks `-o` before any work: refuses a risk register (even with
/// `--force`), a symbolic link or a special file, and any other existing
/// file without `--force` (exit 2). See `store::check_output`.
pub fn refuse_overwrite(output: &Path, force: bool) -> Result<(), i32> {
    store::check_output(output, force, store::OutputKind::Register).map_err(|message| {
        crate::ewarn!("{message}");
        EXIT_BAD_INPUT
    })
}

pub fn run(args: &ImportArgs, today: NaiveDate) -> Result<i32, i32> {
    let source = args.file.display().to_string();
    if !args.dry_run {
        refuse_overwrite(&args.output, args.force)?;
    }
    // Regular files only, and no more than a register may hold.
    let bytes = store::read_regular(&args.file, store::load::MAX_FILE_BYTES).map_err(|e| {
        crate::ewarn!("{source}: {e}");
        EXIT_BAD_INPUT
    })?;
    let opts = ImportOptions {
        source: source.clone(),
        name: args.name.clone(),
        maps: args.map.clone(),
        delimiter: args.delimiter,
        today,
    };
    let imported = match import_csv(&bytes, &opts) {
        Ok(i) => i,
        Err(ImportError::Malformed(e)) => {
            crate::ewarn!(
                "{source}:{}:{}: malformed CSV: {}",
                e.line,
                e.col,
                e.message
            );
            return Err(EXIT_BAD_INPUT);
        }
        Err(ImportError::Usage(m)) => {
            crate::ewarn!("{m}");
            return Err(EXIT_BAD_INPUT);
        }
    };
    let report = &imported.report;
    super::warn_lines(&report.render());
    if report.rows_read == 0 {
        crate::ewarn!("{source}: no data rows below the header; nothing written");
        return Err(EXIT_BAD_INPUT);
    }
    if !report.errors.is_empty() && !args.skip_bad_rows {
        crate::ewarn!(
            "nothing written: {} of {} rows cannot be imported (fix them, or pass --skip-bad-rows to import the others)",
            report.bad_rows(),
            report.rows_read
        );
        return Ok(EXIT_FINDINGS);
    }
    if report.risks == 0 {
        crate::ewarn!("nothing written: no row could be imported");
        return Ok(EXIT_FINDINGS);
    }
    let reg = &imported.register;
    let analysis = Analysis::new(reg, today);
    let errors: Vec<_> = analysis.errors().collect();
    let warnings = analysis.warnings().count();
    if !errors.is_empty() {
        // The importer only builds valid registers; this is a safety net.
        for f in &errors {
            crate::ewarn!("error[{}] {}: {}", f.code, f.at, f.message);
        }
        crate::ewarn!("nothing written: the imported register would have errors");
        return Ok(EXIT_FINDINGS);
    }
    let skipped = if report.errors.is_empty() {
        String::new()
    } else {
        format!(", {} rows skipped", report.bad_rows())
    };
    if args.dry_run {
        crate::ewarn!(
            "dry run: nothing written ({} risks{skipped}; check: 0 errors, {warnings} warnings)",
            report.risks
        );
        return Ok(EXIT_OK);
    }
    store::save_atomic(&args.output, &to_canonical(reg)).map_err(|e| {
        crate::ewarn!("{e}");
        EXIT_BAD_INPUT
    })?;
    crate::ewarn!(
        "wrote {}: {} risks{skipped} (check: 0 errors, {warnings} warnings; see `riskbench check {}`)",
        args.output.display(),
        report.risks,
        args.output.display()
    );
    Ok(EXIT_OK)
}
