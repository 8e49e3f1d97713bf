//! riskbench: a keyboard-driven workbench for ISO/IEC 27001:2022 risk
//! registers. The library holds everything; `main.rs` only dispatches.

pub mod app;
pub mod cli;
pub mod domain;
pub mod escape;
pub mod export;
pub mod import;
pub mod keymap;
pub mod store;
pub mod tui;
pub mod ui;
