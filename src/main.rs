//! The `ibid` binary: parses the arguments, runs the command, maps the outcome to an exit code
//! (0 nothing found, 1 findings, 2 could not run).

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = ibid::cli::Cli::parse();
    match ibid::cli::run(cli) {
        Ok(ibid::cli::Outcome::Clean) => ExitCode::SUCCESS,
        Ok(ibid::cli::Outcome::Findings) => ExitCode::from(1),
        Err(err) => {
            eprintln!("ibid: error: {err:#}");
            ExitCode::from(2)
        }
    }
}
