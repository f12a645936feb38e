//! The `ibid` binary: parses the arguments, runs the command, maps the outcome to an exit code
//! (0 nothing found, 1 findings, 2 could not run). A panic never reaches the user as a backtrace:
//! it becomes "internal error" naming the file being processed, and exit 2.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown cause".into());
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        match ibid::session::current_file() {
            Some(file) => eprintln!("ibid: internal error while processing {file}: {what}{place}"),
            None => eprintln!("ibid: internal error: {what}{place}"),
        }
    }));
    let cli = ibid::cli::Cli::parse();
    match std::panic::catch_unwind(|| ibid::cli::run(cli)) {
        Ok(Ok(ibid::cli::Outcome::Clean)) => ExitCode::SUCCESS,
        Ok(Ok(ibid::cli::Outcome::Findings)) => ExitCode::from(1),
        // a reader that stops early (`ibid format ... | head`) is not an error
        Ok(Err(err))
            if err
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Ok(Err(err)) => {
            eprintln!("ibid: error: {err:#}");
            ExitCode::from(2)
        }
        Err(_) => ExitCode::from(2),
    }
}
