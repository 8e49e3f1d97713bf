//! Keymap loading: every binding of a keymap that loads re-parses.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| riskbench_fuzz::check_keymap(data));
