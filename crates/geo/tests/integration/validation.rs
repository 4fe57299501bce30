//! Validation against external references.
//!
//! Every reference value comes from `tests/fixtures/*.csv`, produced by
//! `pip install -r tools/requirements-geo.txt && python3 tools/gen_geo_fixtures.py`
//! (geographiclib 2.1, seed 20240611); each file's first line repeats the command.

use iadsim_geo::{direct, inverse, Ecef, Geodetic};
use nalgebra::Vector3;

use crate::fixtures::{angle_diff_deg, read};

/// Distance tolerance: 1 mm, far above Karney's ~15 nm algorithm error and far below anything a
/// radar simulation can resolve.
const DISTANCE_TOL_M: f64 = 1e-3;
/// Azimuth tolerance: 1e-6 degree (≈ 0.2 mm of cross-track at 10 km); both sides run the same
/// algorithm, so disagreement beyond rounding means a porting or wrapping bug.
const AZIMUTH_TOL_DEG: f64 = 1e-6;
/// Position tolerance for ECEF, both directions: 1 mm, as for distances.
const POSITION_TOL_M: f64 = 1e-3;
/// Latitude tolerance for ECEF → geodetic: 1e-11 rad ≈ 0.06 mm on the surface; the method is
/// closed-form, so anything beyond rounding (observed ~2e-16 rad) is a bug.
const LATITUDE_TOL_RAD: f64 = 1e-11;

#[test]
fn geodesic_inverse_matches_geographiclib() {
    // reference: python3 tools/gen_geo_fixtures.py → geodesic_inverse.csv,
    // Geodesic.WGS84.Inverse(lat1, lon1, lat2, lon2)
    let rows = read("geodesic_inverse.csv");
    assert!(rows.len() >= 300, "only {} inverse cases", rows.len());
    let (mut worst_s, mut worst_azi) = (0.0_f64, 0.0_f64);
    let mut azimuths_checked = 0;
    for row in &rows {
        let [lat1, lon1, lat2, lon2, s12, azi1, azi2] = row.values[..] else {
            panic!("line {}: expected 7 numbers", row.line)
        };
        let g = inverse(lat1, lon1, lat2, lon2).expect("valid inputs");
        let ds = (g.distance_m - s12).abs();
        assert!(
            ds <= DISTANCE_TOL_M,
            "line {} ({}): distance {} vs {s12} (Δ {ds} m)",
            row.line,
            row.category,
            g.distance_m
        );
        worst_s = worst_s.max(ds);
        // Azimuths are compared modulo 360° (±180 are the same direction). They are all
        // checked, including coincident, antipodal and polar points: there the azimuth is a
        // convention rather than a geometric fact, but geographiclib-rs ports the same
        // conventions as the reference, and a difference would change which geodesic we fly.
        for (got, want, which) in [(g.azi1_deg, azi1, "azi1"), (g.azi2_deg, azi2, "azi2")] {
            let d = angle_diff_deg(got, want);
            assert!(
                d <= AZIMUTH_TOL_DEG,
                "line {} ({}): {which} {got} vs {want} (Δ {d} deg)",
                row.line,
                row.category
            );
            worst_azi = worst_azi.max(d);
            azimuths_checked += 1;
        }
    }
    eprintln!(
        "geodesic inverse: {} cases, {azimuths_checked} azimuths; worst distance error {worst_s:e} m \
         (tol {DISTANCE_TOL_M}), worst azimuth error {worst_azi:e} deg (tol {AZIMUTH_TOL_DEG})",
        rows.len()
    );
}

#[test]
fn geodesic_direct_matches_geographiclib() {
    // reference: python3 tools/gen_geo_fixtures.py → geodesic_direct.csv,
    // Geodesic.WGS84.Direct(lat1, lon1, azi1, s12)
    let rows = read("geodesic_direct.csv");
    assert!(rows.len() >= 190, "only {} direct cases", rows.len());
    let (mut worst_pos, mut worst_azi) = (0.0_f64, 0.0_f64);
    for row in &rows {
        let [lat1, lon1, azi1, s12, lat2, lon2, azi2] = row.values[..] else {
            panic!("line {}: expected 7 numbers", row.line)
        };
        let g = direct(lat1, lon1, azi1, s12).expect("valid inputs");
        // End points are compared as positions (ECEF distance), so longitude wrap-around and the
        // meaningless longitude at a pole need no special case.
        let got = Geodetic::from_degrees(g.lat_deg, g.lon_deg, 0.0).to_ecef();
        let want = Geodetic::from_degrees(lat2, lon2, 0.0).to_ecef();
        let dp = (got.0 - want.0).norm();
        assert!(
            dp <= POSITION_TOL_M,
            "line {} ({}): end point ({}, {}) vs ({lat2}, {lon2}) (Δ {dp} m)",
            row.line,
            row.category,
            g.lat_deg,
            g.lon_deg
        );
        worst_pos = worst_pos.max(dp);
        let da = angle_diff_deg(g.azi2_deg, azi2);
        assert!(
            da <= AZIMUTH_TOL_DEG,
            "line {} ({}): azi2 {} vs {azi2} (Δ {da} deg)",
            row.line,
            row.category,
            g.azi2_deg
        );
        worst_azi = worst_azi.max(da);
    }
    eprintln!(
        "geodesic direct: {} cases; worst end-point error {worst_pos:e} m (tol {POSITION_TOL_M}), \
         worst azi2 error {worst_azi:e} deg (tol {AZIMUTH_TOL_DEG})",
        rows.len()
    );
}

#[test]
fn geodetic_to_ecef_matches_high_precision_reference() {
    // reference: python3 tools/gen_geo_fixtures.py → geodetic_ecef.csv, closed-form N(φ)
    // formulas (NIMA TR8350.2 eq. 4-14) in 60-digit decimal arithmetic
    let rows = read("geodetic_ecef.csv");
    assert!(rows.len() >= 280, "only {} ECEF cases", rows.len());
    let mut worst = 0.0_f64;
    for row in &rows {
        let [lat, lon, h, x, y, z] = row.values[..] else {
            panic!("line {}: expected 6 numbers", row.line)
        };
        let got = Geodetic::from_degrees(lat, lon, h).to_ecef();
        let d = (got.0 - Vector3::new(x, y, z)).norm();
        assert!(
            d <= POSITION_TOL_M,
            "line {} ({}): ECEF of ({lat}, {lon}, {h}) off by {d} m",
            row.line,
            row.category
        );
        worst = worst.max(d);
    }
    eprintln!(
        "geodetic→ECEF: {} cases; worst error {worst:e} m (tol {POSITION_TOL_M})",
        rows.len()
    );
}

#[test]
fn ecef_to_geodetic_recovers_reference_coordinates() {
    // reference: python3 tools/gen_geo_fixtures.py → geodetic_ecef.csv; the ECEF column is the
    // high-precision image of the geodetic columns, so inverting it must give them back.
    let rows = read("geodetic_ecef.csv");
    let (mut worst_pos, mut worst_lat, mut worst_h) = (0.0_f64, 0.0_f64, 0.0_f64);
    let mut worst_alt_range = (f64::INFINITY, f64::NEG_INFINITY);
    for row in &rows {
        let [lat, lon, h, x, y, z] = row.values[..] else {
            panic!("line {}: expected 6 numbers", row.line)
        };
        let reference = Ecef(Vector3::new(x, y, z));
        let g = reference.to_geodetic();
        let dlat = (g.lat_rad - lat.to_radians()).abs();
        let dh = (g.alt_m - h).abs();
        // Position error: the recovered coordinates mapped forward again, against the reference
        // point. This also covers longitude, which is undefined on the polar axis.
        let dp = (g.to_ecef().0 - reference.0).norm();
        let where_ = format!("line {} ({}): ({lat}, {lon}, {h})", row.line, row.category);
        assert!(
            dlat <= LATITUDE_TOL_RAD,
            "{where_}: latitude off by {dlat} rad"
        );
        assert!(dh <= POSITION_TOL_M, "{where_}: height off by {dh} m");
        assert!(dp <= POSITION_TOL_M, "{where_}: position off by {dp} m");
        worst_pos = worst_pos.max(dp);
        worst_lat = worst_lat.max(dlat);
        worst_h = worst_h.max(dh);
        worst_alt_range = (worst_alt_range.0.min(h), worst_alt_range.1.max(h));
    }
    eprintln!(
        "ECEF→geodetic: {} cases, heights {:.0} … {:.0} m; worst position {worst_pos:e} m, \
         height {worst_h:e} m (tol {POSITION_TOL_M}), latitude {worst_lat:e} rad (tol {LATITUDE_TOL_RAD})",
        rows.len(),
        worst_alt_range.0,
        worst_alt_range.1
    );
}
