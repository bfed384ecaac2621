//! Bundled sample cities, generated deterministically (no randomness from
//! outside: a fixed-seed generator), so every front-end can compute the same
//! budget from the same data.
