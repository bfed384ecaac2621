//! Python bindings of shequ (see `py/README.md`): built only with the
//! `extension-module` feature, which maturin turns on.
#![cfg_attr(not(feature = "extension-module"), allow(unused))]
#[cfg(feature = "extension-module")]
mod binding;
