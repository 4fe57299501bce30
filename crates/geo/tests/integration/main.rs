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
