//! JSON boundary (placeholder)
