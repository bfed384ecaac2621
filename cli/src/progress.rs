//! A spinner on stderr while a large city is read, computed and written —
//! only when stderr is a terminal (never in pipes or tests). The core's
//! boundary is one call per budget, so the spinner tells the stage and the
//! time, not a percentage.

use crate::text::Lang;
use indicatif::{ProgressBar, ProgressStyle};
use shequ::lang::count;
use std::io::IsTerminal as _;
use std::time::Duration;

/// Inputs with more rows than this get a spinner.
pub const LARGE_INPUT_ROWS: usize = 50_000;
/// Input files larger than this (in all) get a spinner while they are read.
pub const LARGE_INPUT_BYTES: u64 = 4 << 20;

/// The spinner, or nothing.
#[derive(Debug, Default)]
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// Nothing shown.
    pub fn hidden() -> Self {
        Progress { bar: None }
    }

    /// A spinner when `large` and stderr is a terminal.
    pub fn when(large: bool) -> Self {
        if !large || !std::io::stderr().is_terminal() {
            return Progress::hidden();
        }
        let bar = ProgressBar::new_spinner();
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress { bar: Some(bar) }
    }

    /// Show a spinner from now on when the input turned out large.
    pub fn upgrade(&mut self, rows: usize) {
        if self.bar.is_none() && rows > LARGE_INPUT_ROWS {
            *self = Progress::when(true);
        }
    }

    /// Say what is being done.
    pub fn stage(&self, zh: &str, en: &str, lang: Lang) {
        if let Some(bar) = &self.bar {
            bar.set_message(lang.pick(zh, en).to_string());
        }
    }

    /// Say that the computation starts, with the row count.
    pub fn computing(&self, rows: usize, lang: Lang) {
        if let Some(bar) = &self.bar {
            bar.set_message(match lang {
                Lang::Zh => format!("计算中({} 行)", count(rows)),
                Lang::En => format!("computing ({} rows)", count(rows)),
            });
        }
    }

    /// Take the spinner off the screen.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
