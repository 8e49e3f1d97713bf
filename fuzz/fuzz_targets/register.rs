//! Register loading + evaluation + validation + the canonical round trip.
#![no_main]

use libfuzzer_sys::fuzz_target;

// `true` skips inputs that only reproduce bugs already reported
// (`riskbench_fuzz::hits_known_bug`); the regression tests never skip.
fuzz_target!(|data: &[u8]| riskbench_fuzz::check_register_with(data, true));
