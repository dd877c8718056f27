//! The `parlab` binary: parse the command line, hand over to the library,
//! print errors on one line, and exit with the status [`parlab::exit`]
//! gives each kind of ending.

#![forbid(unsafe_code)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
#![deny(clippy::print_stdout, clippy::print_stderr)]

use parlab::streams;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    // A pool worker starts for every worker of every process-pool run: it
    // skips parsing the whole command line, which would add to the pool's
    // measured start-up.
    let mut args = std::env::args_os().skip(1);
    if args
        .next()
        .is_some_and(|a| a == parlab::pool::process::WORKER_COMMAND)
        && args.next().is_none()
    {
        return match parlab::pool::process::serve_worker() {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                streams::note(&format!("error: {err:#}"));
                ExitCode::FAILURE
            }
        };
    }
    if let Err(why) = streams::check_stdout() {
        streams::note(&format!("error: {why}"));
        return ExitCode::FAILURE;
    }
    let cli = match parlab::cli::parse_from(std::env::args_os()) {
        Ok(cli) => cli,
        Err(err) if err.use_stderr() => {
            streams::note(&one_line(&err.render().to_string()));
            return ExitCode::from(parlab::exit::MISUSE);
        }
        Err(err) => return print_help_or_version(&err),
    };
    match parlab::app_main(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let (status, print) = parlab::exit_status(&err);
            if print {
                streams::note(&format!("error: {err:#}"));
            }
            ExitCode::from(status)
        }
    }
}

/// `--help` or `--version` on stdout; a stdout that cannot take it (a full
/// disk) is a failure, not a silent success.
fn print_help_or_version(err: &clap::Error) -> ExitCode {
    let what = match err.kind() {
        clap::error::ErrorKind::DisplayVersion => "the version",
        _ => "the help",
    };
    let written = err.print().and_then(|()| std::io::stdout().flush());
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            streams::note(&format!(
                "error: cannot write {what} to standard output: {e}"
            ));
            ExitCode::FAILURE
        }
    }
}

/// Folds clap's error into one line: the message plus its hints (possible
/// values, a similar name), without the usage block.
fn one_line(rendered: &str) -> String {
    rendered
        .lines()
        .map(str::trim)
        .take_while(|line| !line.starts_with("Usage:"))
        .filter(|line| !line.is_empty() && !line.starts_with("For more information"))
        .collect::<Vec<_>>()
        .join(" ")
}
