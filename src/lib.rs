//! riskbench: a keyboard-driven workbench for ISO/IEC 27001:2022 risk
//! registers. The library holds everything; `main.rs` only dispatches.

pub mod app;
pub mod cli;
pub mod clipboard;
pub mod domain;
pub mod escape;
pub mod export;
pub mod import;
pub mod keymap;
pub mod store;
// The terminal runtime: poll(2) on stdin and _exit(2) in the signal
// handler have no safe form in std.
#[allow(unsafe_code)]
pub mod tui;
pub mod ui;
