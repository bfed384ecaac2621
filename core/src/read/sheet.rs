//! Spreadsheets (placeholder).
