//! The seeded randomness behind exposure control: every random choice (the
//! randomesque pick, the Sympson-Hetter draw) comes from a seed derived from
//! (session seed, scale, step), so a session replays exactly.

/// SplitMix64 finaliser, a well-mixed 64-bit hash step.
pub(super) fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Seed of the random choices at one step: `hash(seed, scale, step)`.
pub fn step_seed(seed: u64, scale: usize, step: usize) -> u64 {
    splitmix64(splitmix64(splitmix64(seed) ^ scale as u64) ^ step as u64)
}
