//! Register loading + evaluation + validation + the canonical round trip.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| riskbench_fuzz::check_register(data));
