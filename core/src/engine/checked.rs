//! What the policy makes of an input (found by [`super::check`]), kept with
//! the budget so that its items can be explained later.

/// What the policy makes of the input.
#[derive(Debug, Clone, Default)]
pub struct Checked {
    /// Per distinct post as given, the position of the policy's post.
    pub post_of_code: Vec<u16>,
    /// Per distinct rating as given, the position of the policy's rating
    /// (when the policy pays by rating).
    pub rating_of_code: Vec<u32>,
    /// Adjustment positions, ordered by community (stably).
    pub adjustments: Vec<u32>,
    /// Per adjustment, the position of the rule it is paid under.
    pub adjustment_rule: Vec<u16>,
    /// Posts held (positions in the frame's holdings) that the policy does
    /// not know and the options skip.
    pub skipped: Vec<u32>,
}
