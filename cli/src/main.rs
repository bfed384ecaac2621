//! `shequ`: budgets, compliance reports and explanations of community
//! policies from the command line, and `shequ serve`. See the crate
//! `shequ_cli`.

fn main() -> std::process::ExitCode {
    shequ_cli::main()
}
