//! Application state and the actions that drive it.
//!
//! Terminal-free: nothing here may depend on ratatui or crossterm.

pub mod action;
