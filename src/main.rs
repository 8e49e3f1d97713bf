use std::process::ExitCode;

use clap::Parser;
use riskbench::cli::{self, Cli};

fn main() -> ExitCode {
    let args = Cli::parse();
    let code = match args.command {
        Some(command) => cli::run(command, &args.global),
        None => cli::new::open(args.file, args.keymap, args.global.today(), args.present),
    };
    ExitCode::from(u8::try_from(code).unwrap_or(2))
}
