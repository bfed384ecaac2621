//! The language of the command line (`--lang`), as clap reads it. Every
//! word printed comes from the core (`shequ::report::text`,
//! `shequ::Error::zh`), or, for the command line's own messages, from the
//! `zh`/`en` pairs beside them.

/// The language of everything the command line prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    /// 中文 (the default).
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// `zh` or `en`, as the core's JSON boundary spells it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The core's language.
    pub fn core(self) -> shequ::Lang {
        match self {
            Lang::Zh => shequ::Lang::Zh,
            Lang::En => shequ::Lang::En,
        }
    }

    /// The Chinese or the English text.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}
