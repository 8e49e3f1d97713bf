//! The headless commands. Each submodule prints one command's output; this
//! module holds the argument definitions and the shared load step.

pub mod approve;
pub mod catalog;
pub mod check;
pub mod diff;
pub mod fmt;
pub mod format;
pub mod generate;
pub mod import;
pub mod keymap_check;
pub mod merge;
pub mod migrate;
pub mod minutes;
pub mod new;
pub mod plan;
pub mod risks;
pub mod soa;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::domain::{Analysis, Register};
use crate::store::{self, Located};

/// Writes command output to stdout. A closed pipe (`riskbench … | head`)
/// ends the process quietly instead of panicking like `print!` would.
pub(crate) fn emit(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(EXIT_OK);
        }
        crate::ewarn!("cannot write output: {e}");
        std::process::exit(EXIT_BAD_INPUT);
    }
}

/// Writes one message to stderr as one line: every control character (a
/// line break too) and bidi control in it is shown escaped (`\x1b`,
/// `\n`, `\u{202e}`; see [`crate::escape::for_terminal`]). Every message
/// of the commands goes through here, so text from a register, a CSV or a
/// file name can never drive the terminal or forge a line of its own. A
/// stderr that cannot be written is ignored (there is nowhere left to say
/// so).
pub(crate) fn warn(text: &str) {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{}", crate::escape::for_terminal(text));
}

/// [`warn`] for text of several lines (a report): each line escaped.
pub(crate) fn warn_lines(text: &str) {
    for line in text.lines() {
        warn(line);
    }
}

/// `eprintln!` for messages, through [`warn`].
#[macro_export]
macro_rules! ewarn {
    ($($arg:tt)*) => {
        $crate::cli::warn(&format!($($arg)*))
    };
}

/// `println!` for command output, through [`emit`].
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => {{
        let mut s = format!($($arg)*);
        s.push('\n');
        $crate::cli::emit(&s);
    }};
}

/// Exit codes (REGISTER.md §4).
pub(crate) const EXIT_OK: i32 = 0;
pub(crate) const EXIT_FINDINGS: i32 = 1;
pub(crate) const EXIT_BAD_INPUT: i32 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "riskbench",
    version,
    about = "A keyboard-driven workbench for ISO/IEC 27001:2022 risk registers",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Register to open in the workbench (default: registers/northwind.ron
    /// when present, else the bundled example).
    pub file: Option<PathBuf>,
    /// Keymap: `default`, `vim`, or a path to a RON keymap file.
    #[arg(long, value_name = "NAME|PATH")]
    pub keymap: Option<String>,
    /// Open in the focus view on the first risk of the review queue (a
    /// workshop on a projector; esc shows the queue).
    #[arg(long)]
    pub present: bool,
    #[command(flatten)]
    pub global: Global,
}

#[derive(Debug, Args, Clone)]
pub struct Global {
    /// Evaluate as of this day instead of the system date (YYYY-MM-DD).
    #[arg(long, global = true, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub today: Option<NaiveDate>,
}

impl Global {
    pub fn today(&self) -> NaiveDate {
        self.today
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    crate::domain::model::dates::parse(s)
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate and lint a register.
    Check {
        file: PathBuf,
        /// Warnings fail the check too.
        #[arg(long)]
        strict: bool,
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// Print the Statement of Applicability, or write it with the heat maps
    /// and the register as a workbook (xlsx) or a printable page (html).
    Soa {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
        /// The file to write (required for xlsx and html; the other formats
        /// write there what they would print).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Replace the -o file if it exists (never a risk register).
        #[arg(long)]
        force: bool,
    },
    /// Print the evaluated risk register (in-scope risks).
    Risks {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
        /// The file to write (required for xlsx and html: the register and
        /// heat maps; the other formats write there what they would print).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Replace the -o file if it exists (never a risk register).
        #[arg(long)]
        force: bool,
        /// Sort by this field (scores sort highest first).
        #[arg(long, value_enum, default_value_t = risks::SortField::Id)]
        sort: risks::SortField,
        /// Reverse the sort order.
        #[arg(long)]
        reverse: bool,
    },
    /// What changed: two registers, a register and its approved SoA
    /// baseline, or a register and its version at a git revision.
    Diff {
        /// The older register (or the only one: compared with its baseline).
        old: PathBuf,
        /// The newer register.
        new: Option<PathBuf>,
        /// Compare FILE with the file as committed at this git revision.
        #[arg(long, value_name = "REV")]
        git: Option<String>,
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
        /// Exit 1 when anything changed.
        #[arg(long)]
        exit_code: bool,
        /// With FILE alone: compare with approved SoA version N (one of
        /// its `baselines`) instead of the last one.
        #[arg(long, value_name = "N")]
        since: Option<u32>,
    },
    /// Write a deterministic synthetic register (for trying riskbench at
    /// scale and for benchmarks).
    Generate {
        /// Number of risks.
        #[arg(long)]
        risks: usize,
        /// Seed: the same seed gives the same file, byte for byte.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Also a treatment plan of this many actions (each listing 1–3 of
        /// the risks; 0, the default, writes no plan).
        #[arg(long, default_value_t = 0)]
        actions: usize,
        /// Output file.
        #[arg(short, long)]
        output: PathBuf,
        /// Replace the output file if it exists (kept as FILE.bak; never a
        /// risk register).
        #[arg(long)]
        force: bool,
    },
    /// Import a risk register from a spreadsheet (CSV or xlsx), or bring a
    /// spreadsheet's edits back into a register (--into).
    Import(import::ImportArgs),
    /// Translate a register's ISO/IEC 27001:2013 control ids to 2022 ids.
    Migrate(migrate::MigrateArgs),
    /// Rewrite a register in canonical form (or check that it is).
    Fmt {
        file: PathBuf,
        /// Only report; exit 1 when the file is not canonical.
        #[arg(long)]
        check: bool,
    },
    /// Work with keymap files.
    Keymap {
        #[command(subcommand)]
        command: KeymapCommand,
    },
    /// List the Annex A 2022 catalog, optionally fuzzy-filtered.
    Catalog {
        /// Words or a control number (`backup`, `8.13`, `A.8.13`, `813`).
        query: Option<String>,
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// Print the risk treatment plan (actions, the risks they treat, the
    /// summary and whether the plan is approved), or write it as a
    /// workbook (xlsx) or a printable page (html).
    Plan {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
        /// The file to write (required for xlsx and html; the other formats
        /// write there what they would print).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Replace the -o file if it exists (never a risk register).
        #[arg(long)]
        force: bool,
    },
    /// Start a new register (never over an existing file) and open it.
    New {
        /// The file to create; missing folders are created.
        file: PathBuf,
        /// What it starts from: the template (named after the file) or an
        /// example register.
        #[arg(long, value_enum, default_value_t = new::Source::Template)]
        from: new::Source,
        /// Threats from the threat library to start with: the 47 BSI
        /// elementary threats, those and the ISO/IEC 27005-style examples,
        /// or none. Default: bsi from the template, none from an example.
        #[arg(long, value_enum, value_name = "bsi|all|none")]
        threats: Option<new::Threats>,
        /// Only write the file; do not open the workbench.
        #[arg(long)]
        no_open: bool,
        /// Keymap for the workbench: `default`, `vim`, or a path.
        #[arg(long, value_name = "NAME|PATH")]
        keymap: Option<String>,
    },
    /// Approve the SoA (a new baseline version; refused while the register
    /// has errors or Undecided controls), or with --plan the treatment plan.
    Approve(approve::ApproveArgs),
    /// The minutes of a risk workshop: what changed since a git revision
    /// of FILE or another file, as a document (md or html).
    Minutes(minutes::MinutesArgs),
    /// Merge two branches' edits of a register by entity and field (git's
    /// merge driver: `riskbench merge %O %A %B -o %A`), or with --install
    /// set git up to use it.
    Merge(merge::MergeArgs),
}

#[derive(Debug, Subcommand)]
pub enum KeymapCommand {
    /// Validate a keymap file without starting the workbench.
    Check { file: PathBuf },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
}

/// Output of `soa` and `risks`: a table on stdout (or, with `-o FILE`, the
/// same bytes in that file), or a document written to `-o FILE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Md,
    Csv,
    Json,
    /// Excel workbook: SoA, risk register and heat maps (needs `-o`).
    Xlsx,
    /// One self-contained printable HTML page (needs `-o`).
    Html,
}

impl OutputFormat {
    /// The table format, or `None` for a document format.
    pub fn table(self) -> Option<TableFormat> {
        match self {
            OutputFormat::Text => Some(TableFormat::Text),
            OutputFormat::Md => Some(TableFormat::Md),
            OutputFormat::Csv => Some(TableFormat::Csv),
            OutputFormat::Json => Some(TableFormat::Json),
            OutputFormat::Xlsx | OutputFormat::Html => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    Text,
    Md,
    Csv,
    Json,
}

/// A loaded and analysed register.
pub struct Opened {
    pub path: PathBuf,
    pub register: Register,
    /// The file's text, for placing findings.
    pub source_map: Located,
    pub analysis: Analysis,
}

/// Loads and analyses a register; a malformed file is printed to stderr and
/// turned into exit code 2.
pub fn open(path: &Path, today: NaiveDate) -> Result<Opened, i32> {
    match store::load_file_located(path) {
        Ok((loaded, located)) => {
            let analysis = Analysis::new(&loaded.register, today);
            Ok(Opened {
                path: path.to_path_buf(),
                register: loaded.register,
                source_map: located,
                analysis,
            })
        }
        Err(e) => {
            crate::ewarn!("{e}");
            Err(EXIT_BAD_INPUT)
        }
    }
}

/// Writes `reg` over the register at `file` from a command (`import
/// --into`, `approve`): the file a symbolic link names gets the new text
/// and the link stays; never while a workbench has the register open (the
/// message says so and what to do: `busy`); canonical, atomic, with
/// `.bak`. Errors are printed; the exit code is returned.
pub(crate) fn write_back(file: &Path, reg: &Register, busy: &str) -> Result<(), i32> {
    let name = file.display().to_string();
    let real = store::real_path(file).map_err(|e| {
        crate::ewarn!("{name}: cannot resolve the symbolic link: {e}");
        EXIT_BAD_INPUT
    })?;
    let _lock = match store::lock::Lock::acquire(&real) {
        Ok(lock) => Some(lock),
        Err(store::lock::LockError::Held) => {
            crate::ewarn!("{name} is open in the riskbench workbench; {busy} (nothing written)");
            return Err(EXIT_BAD_INPUT);
        }
        Err(store::lock::LockError::Unavailable(_)) => None,
    };
    store::save_atomic(&real, &crate::domain::canonical::to_canonical(reg)).map_err(|e| {
        crate::ewarn!("{e}");
        EXIT_BAD_INPUT
    })
}

/// Like [`open`], but refuses a register with errors (exit 1, errors on
/// stderr), as `soa`, `risks` and `diff` must.
///
/// A valid register needs no positions, so it is parsed from a compacted
/// copy of its text (`store::load_compact`), let go before the evaluation:
/// at 100,000 risks the full text (52 MB) was the peak memory of a document
/// export. A register with errors is read again to place them.
pub(crate) fn open_valid(path: &Path, today: NaiveDate) -> Result<Opened, i32> {
    let register = store::load_compact(path).map_err(|e| {
        crate::ewarn!("{e}");
        EXIT_BAD_INPUT
    })?;
    let analysis = Analysis::for_documents(&register, today);
    if !analysis.has_errors() {
        return Ok(Opened {
            path: path.to_path_buf(),
            register,
            source_map: Located::new(String::new()),
            analysis,
        });
    }
    drop((register, analysis));
    let opened = open(path, today)?;
    if opened.analysis.has_errors() {
        for f in opened.analysis.errors() {
            crate::ewarn!("{}", check::render_finding(&opened, f));
        }
        crate::ewarn!(
            "{}: the register has errors; fix them first (see `riskbench check`)",
            path.display()
        );
        return Err(EXIT_FINDINGS);
    }
    Ok(opened)
}

/// Runs a headless command and returns the exit code.
pub fn run(command: Command, global: &Global) -> i32 {
    let today = global.today();
    let result = match command {
        Command::Check {
            file,
            strict,
            format,
        } => check::run(&file, today, strict, format),
        Command::Soa {
            file,
            format,
            output,
            force,
        } => soa::run(&file, today, format, output.as_deref(), force),
        Command::Risks {
            file,
            format,
            output,
            force,
            sort,
            reverse,
        } => risks::run(
            &file,
            today,
            format,
            output.as_deref(),
            force,
            sort,
            reverse,
        ),
        Command::Diff {
            old,
            new,
            git,
            format,
            exit_code,
            since,
        } => diff::run(
            &old,
            diff::Against {
                new: new.as_deref(),
                git: git.as_deref(),
                since,
            },
            today,
            format,
            exit_code,
        ),
        Command::Generate {
            risks,
            seed,
            actions,
            output,
            force,
        } => generate::run(risks, actions, seed, &output, force),
        Command::Import(args) => import::run(&args, today),
        Command::Migrate(args) => migrate::run(&args, today),
        Command::Fmt { file, check } => fmt::run(&file, check),
        Command::Catalog { query, format } => catalog::run(query.as_deref(), format),
        Command::Keymap {
            command: KeymapCommand::Check { file },
        } => Ok(keymap_check::run(&file.display().to_string())),
        Command::Plan {
            file,
            format,
            output,
            force,
        } => plan::run(&file, today, format, output.as_deref(), force),
        Command::New {
            file,
            from,
            threats,
            no_open,
            keymap,
        } => new::run(&file, from, threats, no_open, keymap, today),
        Command::Approve(args) => approve::run(&args, today),
        Command::Minutes(args) => minutes::run(&args, today),
        Command::Merge(args) => merge::run(&args, today),
    };
    result.unwrap_or_else(|code| code)
}
