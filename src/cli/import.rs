//! `riskbench import FILE -o REGISTER.ron [--map "Column=field"]…
//! [--skip-bad-rows] [--name NAME] [--delimiter D] [--sheet NAME] [--force]
//! [--dry-run]`, and `riskbench import FILE --into REGISTER.ron
//! [--remove-missing] [--dry-run] …` (FILE a CSV export or a workbook).
//!
//! The report (columns, assumptions, unimportable rows as
//! `FILE:LINE:COL: reason`, or `FILE:SHEET!CELL` in a workbook, counts)
//! goes to stderr; `--into` prints the changes to stdout, as `riskbench
//! diff` does, before it writes. Exit 0 written (or dry run, or nothing to
//! change), 1 rows could not be imported (or the update would give the
//! register new errors) and nothing was written, 2 unreadable or malformed
//! input, bad options, the output exists without `--force`, or the output
//! is a risk register (never replaced by `-o`, even with `--force`).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::Args;

use crate::domain::Analysis;
use crate::domain::canonical::to_canonical;
use crate::import::{ImportError, ImportOptions, import_file};
use crate::store;

use super::{EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK};

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The spreadsheet: a CSV export (comma, semicolon or tab separated) or
    /// a workbook (xlsx).
    pub file: PathBuf,
    /// The register file to write.
    #[arg(
        short,
        long,
        value_name = "REGISTER.ron",
        required_unless_present = "into",
        conflicts_with = "into"
    )]
    pub output: Option<PathBuf>,
    /// Update this register from the sheet instead: rows matched to risks
    /// by id, changed cells change those fields, new ids add risks; all
    /// else is kept (the old file as REGISTER.ron.bak).
    #[arg(long, value_name = "REGISTER.ron")]
    pub into: Option<PathBuf>,
    /// With --into: remove the in-scope risks the sheet does not list
    /// (otherwise they are kept and listed).
    #[arg(long)]
    pub remove_missing: bool,
    /// Read a column as a field: "Column name=field" (fields: id, title,
    /// asset, asset_kind, asset_owner, threat, vulnerability, likelihood,
    /// impact, treatment, controls, owner, reviewed, due, asset_id,
    /// threat_id; or ignore). Repeatable.
    #[arg(long = "map", value_name = "COLUMN=FIELD")]
    pub map: Vec<String>,
    /// Import the good rows even when some rows cannot be imported (with
    /// --into, the risks of the bad rows are kept as they are).
    #[arg(long)]
    pub skip_bad_rows: bool,
    /// The register's name (default: the file's name).
    #[arg(long, conflicts_with = "into")]
    pub name: Option<String>,
    /// The delimiter of a CSV file, instead of detecting it: `,` `;` `tab`
    /// or `|`.
    #[arg(long, value_parser = parse_delimiter)]
    pub delimiter: Option<char>,
    /// The sheet of a workbook to read (default: the "Risk register" sheet
    /// of a riskbench workbook, else the first sheet).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Replace the output file if it exists (kept as FILE.bak).
    #[arg(long, conflicts_with = "into")]
    pub force: bool,
    /// Print the report (and with --into the changes) only; write nothing.
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
pub(crate) fn refuse_overwrite(output: &Path, force: bool) -> Result<(), i32> {
    store::check_output(output, force, store::OutputKind::Register).map_err(|message| {
        crate::ewarn!("{message}");
        EXIT_BAD_INPUT
    })
}

/// An import error as its message (exit 2).
fn bad_input(source: &str, e: ImportError) -> i32 {
    match e {
        ImportError::Malformed(e) => crate::ewarn!(
            "{source}:{}:{}: malformed CSV: {}",
            e.line,
            e.col,
            e.message
        ),
        ImportError::Usage(m) => crate::ewarn!("{m}"),
    }
    EXIT_BAD_INPUT
}

pub fn run(args: &ImportArgs, today: NaiveDate) -> Result<i32, i32> {
    let source = args.file.display().to_string();
    if args.remove_missing && args.into.is_none() {
        crate::ewarn!("--remove-missing is for --into REGISTER.ron (updating a register)");
        return Err(EXIT_BAD_INPUT);
    }
    let output = match (&args.output, &args.into) {
        (_, Some(register)) => return run_into(args, register, today),
        (Some(output), None) => output,
        // clap requires one of them.
        (None, None) => return Err(EXIT_BAD_INPUT),
    };
    if !args.dry_run {
        refuse_overwrite(output, args.force)?;
    }
    let bytes = read_sheet(&args.file)?;
    let opts = options(args, today);
    let imported = import_file(&bytes, &opts).map_err(|e| bad_input(&source, e))?;
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
        format!(
            ", {} skipped",
            crate::import::plural(report.bad_rows(), "row")
        )
    };
    if args.dry_run {
        crate::ewarn!(
            "dry run: nothing written ({}{skipped}; check: 0 errors, {warnings} warnings)",
            crate::import::plural(report.risks, "risk")
        );
        return Ok(EXIT_OK);
    }
    store::save_atomic(output, &to_canonical(reg)).map_err(|e| {
        crate::ewarn!("{e}");
        EXIT_BAD_INPUT
    })?;
    crate::ewarn!(
        "wrote {}: {}{skipped} (check: 0 errors, {warnings} warnings; see `riskbench check {}`)",
        output.display(),
        crate::import::plural(report.risks, "risk"),
        output.display()
    );
    Ok(EXIT_OK)
}

/// The spreadsheet's bytes: regular files only, and no more than a register
/// may hold.
fn read_sheet(file: &Path) -> Result<Vec<u8>, i32> {
    store::read_regular(file, store::load::MAX_FILE_BYTES).map_err(|e| {
        crate::ewarn!("{}: {e}", file.display());
        EXIT_BAD_INPUT
    })
}

fn options(args: &ImportArgs, today: NaiveDate) -> ImportOptions {
    ImportOptions {
        source: args.file.display().to_string(),
        name: args.name.clone(),
        maps: args.map.clone(),
        delimiter: args.delimiter,
        sheet: args.sheet.clone(),
        today,
    }
}

/// `import FILE --into REGISTER`: the register loaded as `fmt` loads it (a
/// malformed file is exit 2 with its position; one with errors may still
/// be updated), the sheet applied ([`crate::import::update::update`]), the
/// changes printed as `riskbench diff` prints them, then the register
/// written atomically with its previous version as `.bak` and its mode
/// kept. Nothing is written when nothing changed, on a dry run, when a row
/// cannot be applied (unless `--skip-bad-rows`) or when the result would
/// have errors the register did not have.
fn run_into(args: &ImportArgs, register: &Path, today: NaiveDate) -> Result<i32, i32> {
    let source = args.file.display().to_string();
    let name = register.display().to_string();
    let reg_bytes = store::load::read_bytes(register).map_err(|e| {
        crate::ewarn!("{e}");
        EXIT_BAD_INPUT
    })?;
    let loaded = store::load::parse_bytes(&name, &reg_bytes).map_err(|e| {
        crate::ewarn!("{e}");
        EXIT_BAD_INPUT
    })?;
    let old = loaded.register;
    let bytes = read_sheet(&args.file)?;
    let opts = options(args, today);
    let updated = crate::import::update::update(&old, &bytes, &opts, args.remove_missing)
        .map_err(|e| bad_input(&source, e))?;
    let report = &updated.report;
    super::warn_lines(&report.render_details());
    for line in updated.summary() {
        crate::ewarn!("{line}");
    }
    if report.rows_read == 0 {
        crate::ewarn!("{source}: no data rows below the header; nothing written");
        return Err(EXIT_BAD_INPUT);
    }
    if !report.errors.is_empty() && !args.skip_bad_rows {
        crate::ewarn!(
            "nothing written: {} of {} rows cannot be applied (fix them, or pass --skip-bad-rows to apply the others and keep those risks as they are)",
            report.bad_rows(),
            report.rows_read
        );
        return Ok(EXIT_FINDINGS);
    }
    let new = &updated.register;
    if *new == old {
        crate::ewarn!("No changes: {name} already says what {source} says; nothing written");
        return Ok(EXIT_OK);
    }
    let old_an = Analysis::new(&old, today);
    let new_an = Analysis::new(new, today);
    let known: std::collections::HashSet<(&str, &str, &str)> = old_an
        .errors()
        .map(|f| (f.code, f.at.as_str(), f.message.as_str()))
        .collect();
    let introduced: Vec<_> = new_an
        .errors()
        .filter(|f| !known.contains(&(f.code, f.at.as_str(), f.message.as_str())))
        .collect();
    if !introduced.is_empty() {
        for f in &introduced {
            crate::ewarn!("error[{}] {}: {}", f.code, f.at, f.message);
        }
        crate::ewarn!("nothing written: the updated register would have these errors");
        return Ok(EXIT_FINDINGS);
    }
    let d = crate::domain::diff::compare(&old, &old_an, new, &new_an);
    super::emit(&crate::domain::diff::diff_text(
        &d,
        &name,
        &format!("{name} with {source}"),
    ));
    let what = format!(
        "{} changed, {} added, {} removed",
        crate::import::plural(updated.changed.len(), "risk"),
        updated.added.len(),
        updated.removed.len()
    );
    if args.dry_run {
        crate::ewarn!("dry run: nothing written ({what})");
        return Ok(EXIT_OK);
    }
    super::write_back(register, new, "close it there first")?;
    crate::ewarn!("wrote {name}: {what} (the previous version kept as {name}.bak)");
    Ok(EXIT_OK)
}
