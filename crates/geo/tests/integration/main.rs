//! The crate's one integration-test binary (one link step on 2 cores).
//!
//! * `validation`: against external references in `tests/fixtures/`, produced by
//!   `python3 tools/gen_geo_fixtures.py` (geographiclib 2.1, see `tools/requirements-geo.txt`).
//! * `properties`: invariants (round trips, horizon geometry, input errors).

mod fixtures;
mod properties;
mod validation;
