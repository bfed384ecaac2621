//! The `shequ` command line and `shequ serve`, the HTTP JSON service.
//!
//! Both talk to the core only through its string-in, string-out JSON
//! boundary ([`shequ::ffi`]): a request JSON in, an answer JSON (or a typed
//! [`shequ::ffi::ErrorBody`]) out. What they print is read back from the
//! answer JSON ([`answer`]), so the engine's internals can change freely.
//!
//! - [`args`]: the arguments (clap);
//! - [`request`]: the request JSON from arguments and files;
//! - [`formats`]: the one place where a file's extension picks its reader
//!   or writer;
//! - [`print`](mod@print): the printouts and the CSV reports;
//! - [`serve`]: the service;
//! - [`error`]: messages and exit codes (0 ok, 1 bad data or policy, 2 usage).

pub mod answer;
pub mod args;
pub mod cmd;
pub mod error;
pub mod formats;
pub mod print;
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
