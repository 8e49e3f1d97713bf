//! `riskbench migrate OLD.ron -o NEW.ron [--from 2013] [--skip-unknown]
//! [--force] [--dry-run]`: translates a register's ISO/IEC 27001:2013
//! control ids to 2022 ids.
//!
//! The report goes to stderr. Exit 0 written (or dry run), 1 some ids are
//! not 2013 controls and nothing was written (unless `--skip-unknown`),
//! 2 unreadable or malformed register, not a 2013 register (without
//! `--from 2013`), the output exists without `--force`, or the output is a
//! risk register (never replaced, even with `--force`).

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};

use crate::domain::Analysis;
use crate::domain::canonical::to_canonical;
use crate::import::migrate::{self, Unknown};
use crate::store::{self, SourceMap};

use super::{EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FromVersion {
    #[value(name = "2013")]
    Iso2013,
}

#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The register that uses ISO/IEC 27001:2013 control ids.
    pub file: PathBuf,
    /// The migrated register to write.
    #[arg(short, long, value_name = "NEW.ron")]
    pub output: PathBuf,
    /// The edition the ids come from (default: detected; 2013 is the only
    /// one). Forces the migration when detection is unsure.
    #[arg(long, value_enum)]
    pub from: Option<FromVersion>,
    /// Leave out ids that are neither 2013 nor 2022 controls (they are
    /// still reported) instead of refusing to write.
    #[arg(long)]
    pub skip_unknown: bool,
    /// Replace the output file if it exists (kept as FILE.bak). A risk
    /// register is never replaced, even with --force.
    #[arg(long)]
    pub force: bool,
    /// Print the report only; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// `LINE:COL` of a `"id"` string at or after `(line, col)` in `text`.
fn find_after(text: &str, (line, col): (usize, usize), id: &str) -> Option<(usize, usize)> {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>()
        + text
            .lines()
            .nth(line.saturating_sub(1))
            .map_or(0, |l| l.char_indices().nth(col - 1).map_or(0, |(i, _)| i));
    let needle = format!("\"{id}\"");
    let at = start + text.get(start..)?.find(&needle)?;
    let before = &text[..at];
    let l = before.matches('\n').count() + 1;
    let c = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    Some((l, c))
}

pub fn run(args: &MigrateArgs, today: NaiveDate) -> Result<i32, i32> {
    let source = args.file.display().to_string();
    if !args.dry_run {
        super::import::refuse_overwrite(&args.output, args.force)?;
    }
    let bytes = store::load::read_bytes(&args.file).map_err(|e| {
        crate::ewarn!("{e}");
        EXIT_BAD_INPUT
    })?;
    let loaded = store::load::parse_bytes(&source, &bytes).map_err(|e| {
        crate::ewarn!("{e}");
        EXIT_BAD_INPUT
    })?;
    let reg = &loaded.register;
    let (old, total) = migrate::detect(reg);
    if args.from.is_none() && !migrate::looks_like_2013(reg) {
        crate::ewarn!(
            "{source}: {old} of {total} control references look like ISO/IEC 27001:2013 ids (such as A.12.3.1): \
             not a 2013 register; nothing written (pass --from 2013 to translate it anyway)"
        );
        return Err(EXIT_BAD_INPUT);
    }
    let migration = migrate::migrate(reg, today);
    // parse_bytes succeeded, so the bytes are UTF-8.
    let text = String::from_utf8(bytes).unwrap_or_default();
    let map = SourceMap::build(text.trim_start_matches('\u{feff}'));
    let locate = |u: &Unknown| {
        let (section, at) = u.place.section_at();
        let pos = map.position(section, at)?;
        find_after(&text, pos, &u.id).or(Some(pos))
    };
    let report = &migration.report;
    super::warn_lines(&report.render(&source, &locate));
    let unknown = match report.unknown.len() {
        1 => "1 reference is not an ISO/IEC 27001:2013 control".to_string(),
        n => format!("{n} references are not ISO/IEC 27001:2013 controls"),
    };
    if !report.unknown.is_empty() && !args.skip_unknown {
        crate::ewarn!(
            "nothing written: {unknown} (fix them, or pass --skip-unknown to leave them out)"
        );
        return Ok(EXIT_FINDINGS);
    }
    if !report.unknown.is_empty() {
        crate::ewarn!("left out (--skip-unknown): {unknown}");
    }
    let new = &migration.register;
    let analysis = Analysis::new(new, today);
    let errors: Vec<_> = analysis.errors().collect();
    let warnings = analysis.warnings().count();
    for f in &errors {
        crate::ewarn!("error[{}] {}: {}", f.code, f.at, f.message);
    }
    let check = format!("check: {} errors, {warnings} warnings", errors.len());
    if args.dry_run {
        crate::ewarn!("dry run: nothing written ({check})");
        return Ok(EXIT_OK);
    }
    store::save_atomic(&args.output, &to_canonical(new)).map_err(|e| {
        crate::ewarn!("{e}");
        EXIT_BAD_INPUT
    })?;
    crate::ewarn!("wrote {} ({check})", args.output.display());
    Ok(EXIT_OK)
}
