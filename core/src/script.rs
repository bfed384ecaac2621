//! The two scripts Chinese is written in (the type alone: a leaf that the
//! policy file names; what shequ does with a script is in `lang.rs`).

use serde::{Deserialize, Serialize};

/// The script of a policy's Chinese: its labels as the document has them,
/// and shequ's own words (templates, headings) written to match, so that no
/// sentence mixes the two (嘉政辦發〔2020〕97號 is in traditional
/// characters: its notes say `不重復享受`, not `不重复享受`).
///
/// A policy file may say `script = "traditional"` in `[policy]`; without it
/// the script is detected from the file's own Chinese (titles and labels,
/// see [`Script::detect`](crate::lang)). Names, ids and reasons from the input are never
/// converted: a person called 马强 stays 马强 in a traditional sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Script {
    /// 简体字.
    #[default]
    Simplified,
    /// 繁體字.
    Traditional,
}
