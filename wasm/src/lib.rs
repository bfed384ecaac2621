//! WASM bindings (placeholder until the binding lands).
