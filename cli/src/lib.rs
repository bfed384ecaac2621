//! The `shequ` command line and `shequ serve`, the HTTP JSON service.
//!
//! Both build the request of the core's JSON boundary ([`shequ::ffi`]) from
//! arguments, files or an HTTP body, and compute with the core's own types:
//! the command line prints and writes what the core writes — the printout
//! (`shequ::report::text`), the Excel report and CSV (`shequ::report`), the
//! explanations and the errors in Chinese or English (`shequ::Error::zh`).
//! Nothing here re-reads an answer or knows a rule.
//!
//! - [`args`]: the arguments (clap);
//! - [`request`]: the request JSON from arguments and files;
//! - [`formats`]: the one place where a file's extension picks its reader
//!   or writer;
//! - [`serve`]: the service;
//! - [`error`]: messages and exit codes (0 ok, 1 bad data or policy, 2 usage).

pub mod args;
pub mod cmd;
pub mod error;
pub mod formats;
pub mod progress;
pub mod request;
pub mod serve;
pub mod text;

use clap::Parser as _;
use std::process::ExitCode;

/// Parse the process's arguments, run, print any error in the chosen
/// language and give the exit code.
pub fn main() -> ExitCode {
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with 0; usage errors exit 2.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(error::EXIT_USAGE));
        }
    };
    match cmd::run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprint!("{}", e.render(cli.lang));
            ExitCode::from(e.exit_code())
        }
    }
}
