//! The crate's one integration-test binary (one link step on 2 cores).
//!
//! * `validation`: against external references in `tests/fixtures/`, produced by
//!   `python3 tools/gen_geo_fixtures.py` (geographiclib 2.1, see `tools/requirements-geo.txt`).
//! * `properties`: invariants (round trips, horizon geometry, input errors).
//! * `terrain`: GeoTIFF DEMs, bilinear heights, terrain line of sight and radial profiles, on
//!   DEMs written by `python3 tools/gen_test_dem.py` (see `tools/requirements-dem.txt`).

mod fixtures;
mod properties;
mod terrain;
mod validation;

/// SplitMix64: a tiny deterministic generator, so the tests need no `rand` dependency and every
/// run checks the same points.
pub struct SplitMix(pub u64);

impl SplitMix {
    /// Uniform in `[0, 1)`, 53 bits.
    pub fn next_f64(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `[lo, hi)`.
    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.next_f64()
    }
}
