//! Terrain: reading GeoTIFF DEMs, bilinear heights, terrain line of sight and radial profiles.
//!
//! The DEMs are written by `python3 tools/gen_test_dem.py` (numpy + tifffile, versions in
//! `tools/requirements-dem.txt`); `ridge_formula_m` below is that script's `ridge_height_m`.

use std::path::PathBuf;
use std::time::Instant;

use geographiclib_rs::{DirectGeodesic, Geodesic, InverseGeodesic};
use iadsim_geo::{
    direct, line_of_sight, line_of_sight_4_3, terrain_horizon_profile, Dem, Geodetic,
    RadialProfile, TerrainError, EFFECTIVE_EARTH_RADIUS_M,
};

use crate::SplitMix;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join(name)
}

fn ridge() -> Dem {
    Dem::from_geotiff(&fixture("ridge.tif")).expect("ridge.tif")
}

// The ridge fixture's layout, as written by tools/gen_test_dem.py.
const RIDGE_STEP_DEG: f64 = 3.0 / 3600.0;
const RIDGE_NORTH_EDGE_DEG: f64 = 33.5;
const RIDGE_WEST_EDGE_DEG: f64 = 44.0;
const RIDGE_N: usize = 200;

/// `ridge_height_m` of tools/gen_test_dem.py, before rounding to whole metres.
fn ridge_formula_m(lat_deg: f64, lon_deg: f64) -> f64 {
    let crest_lon = 44.0 + 100.5 / 1200.0;
    let mid_lat: f64 = 33.5 - 100.5 / 1200.0;
    let x_m = (lon_deg - crest_lon) * 111_320.0 * mid_lat.to_radians().cos();
    let v = (lat_deg - mid_lat) / (100.0 / 1200.0);
    let crest = 550.0 * (1.0 - 0.1 * v * v);
    50.0 + crest * (-(x_m / 600.0).powi(2)).exp()
}

fn is_ridge_nodata(row: usize, col: usize) -> bool {
    (190..193).contains(&row) && (5..8).contains(&col)
}

#[test]
fn ridge_tif_posts_match_the_generator_formula() {
    let dem = ridge();
    assert_eq!((dem.rows(), dem.cols()), (RIDGE_N, RIDGE_N));
    // Pixel-is-area: the first post is half a pixel inside the tiepoint corner.
    let b = dem.bounds();
    let half = 0.5 * RIDGE_STEP_DEG;
    assert!((b.north_lat_deg - (RIDGE_NORTH_EDGE_DEG - half)).abs() < 1e-12);
    assert!((b.west_lon_deg - (RIDGE_WEST_EDGE_DEG + half)).abs() < 1e-12);
    assert!((b.south_lat_deg - (RIDGE_NORTH_EDGE_DEG - 199.5 * RIDGE_STEP_DEG)).abs() < 1e-12);
    assert!((b.east_lon_deg - (RIDGE_WEST_EDGE_DEG + 199.5 * RIDGE_STEP_DEG)).abs() < 1e-12);
    let mut max_h = f64::NEG_INFINITY;
    for row in 0..RIDGE_N {
        for col in 0..RIDGE_N {
            let (lat, lon) = dem.post_position_deg(row, col);
            let at_post = dem.height_m(lat, lon);
            if is_ridge_nodata(row, col) {
                assert_eq!(dem.post_height_m(row, col), None);
                assert_eq!(at_post, None, "({row}, {col}) is nodata");
                continue;
            }
            let h = dem.post_height_m(row, col).expect("data post");
            // Stored as whole metres (rounded), hence 0.5 m.
            let f = ridge_formula_m(lat, lon);
            assert!(
                (h - f).abs() <= 0.5 + 1e-6,
                "({row}, {col}): {h} vs formula {f}"
            );
            max_h = max_h.max(h);
            // Bilinear interpolation reproduces a post exactly, unless a neighbour used with
            // weight 0 is nodata (then the conservative answer is None).
            if let Some(hp) = at_post {
                assert!((hp - h).abs() < 1e-9, "({row}, {col}): {hp} vs post {h}");
            }
        }
    }
    assert_eq!(max_h, 600.0, "the ridge rises to 600 m");
    // Plain ground far from the ridge.
    assert_eq!(dem.post_height_m(0, 0), Some(50.0));
}

#[test]
fn heights_are_bilinear_between_posts_and_none_outside_or_near_nodata() {
    let dem = ridge();
    let mut rng = SplitMix(7);
    for _ in 0..2000 {
        let y = rng.uniform(0.0, (RIDGE_N - 1) as f64);
        let x = rng.uniform(0.0, (RIDGE_N - 1) as f64);
        let (i, j) = ((y as usize).min(RIDGE_N - 2), (x as usize).min(RIDGE_N - 2));
        let (fy, fx) = (y - i as f64, x - j as f64);
        let (lat0, lon0) = dem.post_position_deg(0, 0);
        let lat = lat0 - y * dem.dlat_deg();
        let lon = lon0 + x * dem.dlon_deg();
        let corners = [(i, j), (i, j + 1), (i + 1, j), (i + 1, j + 1)];
        let got = dem.height_m(lat, lon);
        if corners.iter().any(|&(r, c)| is_ridge_nodata(r, c)) {
            assert_eq!(got, None);
            continue;
        }
        let p = |r, c| dem.post_height_m(r, c).unwrap();
        let want = (1.0 - fy) * ((1.0 - fx) * p(i, j) + fx * p(i, j + 1))
            + fy * ((1.0 - fx) * p(i + 1, j) + fx * p(i + 1, j + 1));
        let got = got.expect("inside and away from nodata");
        // Index round trip through degrees costs ~1e-10 of a cell; slopes are < 10 m per post.
        assert!((got - want).abs() < 1e-6, "({y}, {x}): {got} vs {want}");
    }
    let b = dem.bounds();
    assert_eq!(dem.height_m(b.north_lat_deg + 1e-6, 44.05), None);
    assert_eq!(dem.height_m(33.45, b.east_lon_deg + 1e-6), None);
    assert_eq!(dem.height_m(f64::NAN, 44.05), None);
    // Longitudes are taken modulo 360.
    assert_eq!(
        dem.height_m(33.45, 44.05),
        dem.height_m(33.45, 44.05 - 360.0)
    );
}

#[test]
fn pixel_is_point_and_tiled_deflate_float_files_read_to_the_same_grid() {
    let area = ridge();
    for name in ["ridge_point.tif", "ridge_f32_tiled_deflate.tif"] {
        let other = Dem::from_geotiff(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let (a, o) = (area.bounds(), other.bounds());
        for (x, y) in [
            (a.north_lat_deg, o.north_lat_deg),
            (a.south_lat_deg, o.south_lat_deg),
            (a.west_lon_deg, o.west_lon_deg),
            (a.east_lon_deg, o.east_lon_deg),
        ] {
            assert!((x - y).abs() < 1e-12, "{name}: bounds {a:?} vs {o:?}");
        }
        for row in 0..RIDGE_N {
            for col in 0..RIDGE_N {
                assert_eq!(
                    area.post_height_m(row, col),
                    other.post_height_m(row, col),
                    "{name}: post ({row}, {col})"
                );
            }
        }
    }
}

#[test]
fn from_geotiff_rejects_projected_plain_and_non_tiff_files_with_named_errors() {
    match Dem::from_geotiff(&fixture("projected_utm38n.tif")) {
        Err(e @ TerrainError::ProjectedRaster { .. }) => {
            let msg = e.to_string();
            assert!(
                msg.contains("ProjectedCSTypeGeoKey (3072) = 32638"),
                "{msg}"
            );
            assert!(msg.contains("projected_utm38n.tif"), "{msg}");
        }
        other => panic!("expected ProjectedRaster, got {other:?}"),
    }
    match Dem::from_geotiff(&fixture("plain.tif")) {
        Err(TerrainError::MissingGeoTag { tag, code, .. }) => {
            assert_eq!((tag, code), ("ModelPixelScale", 33550));
        }
        other => panic!("expected MissingGeoTag, got {other:?}"),
    }
    assert!(matches!(
        Dem::from_geotiff(&fixture("geodesic_direct.csv")),
        Err(TerrainError::Tiff { .. })
    ));
    assert!(matches!(
        Dem::from_geotiff(&fixture("no_such_file.tif")),
        Err(TerrainError::Io { .. })
    ));
}

#[test]
fn from_grid_rejects_bad_shapes_and_spacings() {
    assert!(matches!(
        Dem::from_grid(33.0, 44.0, 0.01, 0.01, 1, 5, vec![0.0; 5]),
        Err(TerrainError::GridTooSmall { rows: 1, cols: 5 })
    ));
    assert!(matches!(
        Dem::from_grid(33.0, 44.0, 0.01, 0.01, 3, 3, vec![0.0; 8]),
        Err(TerrainError::GridSizeMismatch { len: 8, .. })
    ));
    for (dlat, dlon, north) in [
        (0.0, 0.01, 33.0),
        (0.01, f64::NAN, 33.0),
        (0.01, 0.01, 91.0),
    ] {
        assert!(matches!(
            Dem::from_grid(north, 44.0, dlat, dlon, 3, 3, vec![0.0; 9]),
            Err(TerrainError::InvalidGridParameter { .. })
        ));
    }
}

/// Ridge-fixture geometry for the masking tests: a radar on a 10 m mast on the plain west of
/// the ridge, at the ridge's middle latitude.
fn radar_west_of_ridge() -> Geodetic {
    Geodetic::from_degrees(33.416, 44.02, 60.0)
}

#[test]
fn ridge_hides_a_low_target_that_is_visible_without_terrain() {
    let dem = ridge();
    let radar = radar_west_of_ridge();
    // 100 m above the ellipsoid (50 m above the plain), ~6 km east of the 600 m crest.
    let low = Geodetic::from_degrees(33.416, 44.15, 100.0);
    assert!(
        line_of_sight_4_3(&radar, &low),
        "well inside the smooth horizon"
    );
    assert!(line_of_sight(None, &radar, &low));
    assert!(
        !line_of_sight(Some(&dem), &radar, &low),
        "the ridge must mask it"
    );
    // The same point 3 km up is seen over the ridge; a low target on the radar's side is seen.
    let high = Geodetic::from_degrees(33.416, 44.15, 3000.0);
    assert!(line_of_sight(Some(&dem), &radar, &high));
    let near = Geodetic::from_degrees(33.416, 44.05, 100.0);
    assert!(line_of_sight(Some(&dem), &radar, &near));
}

/// Brute force: march along the straight chord between the two points on the `kR` sphere in
/// ~2 m steps, find the ground position below each chord point by linear interpolation
/// between direct-geodesic points every 250 m, and return the smallest clearance (chord height
/// minus terrain height), metres. Independent of the crate's Hermite track, angle recurrence
/// and elevation comparison.
fn brute_force_min_clearance_m(dem: &Dem, a: &Geodetic, b: &Geodetic) -> f64 {
    let geod = Geodesic::wgs84();
    let (d, azi1, _, _): (f64, f64, f64, f64) =
        geod.inverse(a.lat_deg(), a.lon_deg(), b.lat_deg(), b.lon_deg());
    let kr = EFFECTIVE_EARTH_RADIUS_M;
    let theta = d / kr;
    let p1 = (kr + a.alt_m, 0.0);
    let p2 = ((kr + b.alt_m) * theta.cos(), (kr + b.alt_m) * theta.sin());
    let knot_m = 250.0;
    let n_knots = (d / knot_m).ceil() as usize + 1;
    let knots: Vec<(f64, f64)> = (0..=n_knots)
        .map(|i| {
            let (lat, lon, _): (f64, f64, f64) =
                geod.direct(a.lat_deg(), a.lon_deg(), azi1, i as f64 * knot_m);
            (lat, lon)
        })
        .collect();
    let n = (d / 2.0).ceil().max(2.0) as usize;
    let mut worst = f64::INFINITY;
    for i in 1..n {
        let t = i as f64 / n as f64;
        let p = (p1.0 + t * (p2.0 - p1.0), p1.1 + t * (p2.1 - p1.1));
        let s = kr * p.1.atan2(p.0);
        let u = s / knot_m;
        let k = (u.floor() as usize).min(n_knots - 1);
        let f = u - k as f64;
        let lat = knots[k].0 + f * (knots[k + 1].0 - knots[k].0);
        let lon = knots[k].1 + f * (knots[k + 1].1 - knots[k].1);
        if let Some(h) = dem.height_m(lat, lon) {
            worst = worst.min(p.0.hypot(p.1) - kr - h);
        }
    }
    worst
}

#[test]
fn line_of_sight_with_terrain_agrees_with_a_brute_force_ray_march() {
    let dem = ridge();
    let b = dem.bounds();
    let mut rng = SplitMix(20_240_611);
    // Sampling at half the post spacing can miss the top of the bilinear surface between
    // samples by up to (terrain slope + ray slope) × quarter spacing: < 3 m on this ridge
    // (crest kink slope ~0.12, ray slopes < 0.1, 19 m). Pairs whose brute-force clearance is
    // within that of zero may go either way.
    let grazing_tol_m = 3.0;
    let (mut blocked, mut clear, mut grazing, mut grazing_mismatch) = (0, 0, 0, 0);
    for _ in 0..400 {
        let point = |rng: &mut SplitMix| {
            let lat = rng.uniform(b.south_lat_deg, b.north_lat_deg);
            let lon = rng.uniform(b.west_lon_deg, b.east_lon_deg);
            let ground = dem.height_m(lat, lon).unwrap_or(50.0);
            Geodetic::from_degrees(lat, lon, ground + rng.uniform(2.0, 400.0))
        };
        let (p, q) = (point(&mut rng), point(&mut rng));
        assert!(line_of_sight_4_3(&p, &q), "pairs are within ~25 km");
        let got = line_of_sight(Some(&dem), &p, &q);
        let margin = brute_force_min_clearance_m(&dem, &p, &q);
        if margin.abs() <= grazing_tol_m {
            grazing += 1;
            grazing_mismatch += usize::from(got != (margin >= 0.0));
            continue;
        }
        assert_eq!(
            got,
            margin > 0.0,
            "{p:?} -> {q:?}: line_of_sight {got}, brute-force clearance {margin} m"
        );
        // Symmetric away from grazing.
        assert_eq!(line_of_sight(Some(&dem), &q, &p), got);
        if got {
            clear += 1;
        } else {
            blocked += 1;
        }
    }
    println!(
        "terrain LOS vs brute force: {clear} clear, {blocked} blocked, {grazing} within \
         {grazing_tol_m} m of grazing ({grazing_mismatch} of those decided differently)"
    );
    assert!(
        blocked >= 40 && clear >= 40,
        "{blocked} blocked / {clear} clear: not a test"
    );
}

#[test]
fn line_of_sight_without_dem_is_the_smooth_earth_test() {
    let mut rng = SplitMix(99);
    for _ in 0..2000 {
        let p = Geodetic::from_degrees(
            rng.uniform(30.0, 36.0),
            rng.uniform(40.0, 47.0),
            rng.uniform(-50.0, 3000.0),
        );
        let q = Geodetic::from_degrees(
            rng.uniform(30.0, 36.0),
            rng.uniform(40.0, 47.0),
            rng.uniform(-50.0, 3000.0),
        );
        assert_eq!(line_of_sight(None, &p, &q), line_of_sight_4_3(&p, &q));
    }
    let bad = Geodetic::from_degrees(95.0, 44.0, 0.0);
    assert!(!line_of_sight(None, &bad, &radar_west_of_ridge()));
}

#[test]
fn radial_profile_visibility_agrees_with_line_of_sight_along_the_radial() {
    let dem = ridge();
    let radar = radar_west_of_ridge();
    let mut rng = SplitMix(5);
    // Near-grazing targets (the decision flips within ±3 m of height) may differ: the
    // profile samples every 20 m from the radar, line_of_sight at its own spacing.
    let delta_m = 3.0;
    let (mut checked, mut hidden, mut near_grazing) = (0, 0, 0);
    for az in [45.0, 80.0, 90.0, 100.0, 135.0, 260.0] {
        let profile = terrain_horizon_profile(&dem, &radar, az, 16_000.0, 20.0);
        assert_eq!(profile.len(), 801);
        // Masking angles never decrease outwards.
        for k in 1..profile.len() {
            assert!(profile.masking_angle_rad(k) >= profile.masking_angle_rad(k - 1));
        }
        // Terrain samples sit where the direct geodesic says (slopes < 1, positions to mm).
        for k in (0..profile.len()).step_by(37) {
            let end = direct(radar.lat_deg(), radar.lon_deg(), az, k as f64 * 20.0).unwrap();
            match (
                profile.terrain_height_m(k),
                dem.height_m(end.lat_deg, end.lon_deg),
            ) {
                (Some(x), Some(y)) => assert!((x - y).abs() < 0.01, "sample {k}: {x} vs {y}"),
                (x, y) => assert_eq!(x.is_some(), y.is_some(), "sample {k}"),
            }
        }
        for _ in 0..300 {
            let s = rng.uniform(50.0, 16_000.0);
            let h = rng.uniform(0.0, 900.0);
            let end = direct(radar.lat_deg(), radar.lon_deg(), az, s).unwrap();
            let at = |h| Geodetic::from_degrees(end.lat_deg, end.lon_deg, h);
            let los = line_of_sight(Some(&dem), &radar, &at(h));
            let vis = profile.visible(s, h);
            // The lowest visible height is consistent with `visible`.
            let h_min = profile.min_visible_height_m(s);
            if (h - h_min).abs() > 1e-6 {
                assert_eq!(vis, h > h_min, "az {az}, s {s}, h {h}: min visible {h_min}");
            }
            let flips = line_of_sight(Some(&dem), &radar, &at(h + delta_m))
                != line_of_sight(Some(&dem), &radar, &at(h - delta_m));
            if flips {
                near_grazing += 1;
                continue;
            }
            assert_eq!(vis, los, "az {az}, s {s} m, h {h} m");
            checked += 1;
            hidden += usize::from(!los);
        }
    }
    println!(
        "profile vs line_of_sight: {checked} agree ({hidden} hidden), {near_grazing} near grazing"
    );
    assert!(
        hidden > 200 && checked - hidden > 200,
        "{hidden} hidden of {checked}"
    );
}

#[test]
fn radial_profile_beyond_the_smooth_horizon_and_on_invalid_input() {
    let dem = ridge();
    let radar = Geodetic::from_degrees(33.416, 44.02, 60.0);
    let p = terrain_horizon_profile(&dem, &radar, 270.0, 100_000.0, 100.0);
    // West of the DEM nothing masks: only the smooth horizon (~32 km for 60 m, + target's).
    assert!(p.visible(30_000.0, 0.0));
    assert!(!p.visible(60_000.0, 10.0));
    assert!(p.visible(60_000.0, 300.0));
    let bad = terrain_horizon_profile(&dem, &radar, 90.0, 1000.0, 0.0);
    assert!(bad.is_empty() && !bad.visible(100.0, 1000.0));
    let mut reused = RadialProfile::default();
    reused.rebuild(&dem, &radar, 90.0, 16_000.0, 20.0);
    let fresh = terrain_horizon_profile(&dem, &radar, 90.0, 16_000.0, 20.0);
    assert_eq!(reused.len(), fresh.len());
    assert_eq!(reused.masking_angle_rad(800), fresh.masking_angle_rad(800));
}

fn baghdad_dem_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/dem/baghdad-synthetic.tif")
}

#[test]
fn synthetic_baghdad_dem_loads_and_has_the_intended_shape() {
    let dem = Dem::from_geotiff(&baghdad_dem_path()).expect("data/dem/baghdad-synthetic.tif");
    assert_eq!((dem.rows(), dem.cols()), (420, 600));
    let b = dem.bounds();
    let half = 15.0 / 3600.0;
    assert!((b.north_lat_deg - (35.0 - half)).abs() < 1e-9);
    assert!((b.west_lon_deg - (40.5 + half)).abs() < 1e-9);
    let baghdad = dem.height_m(33.3, 44.4).unwrap();
    assert!((20.0..60.0).contains(&baghdad), "Baghdad {baghdad} m");
    let anbar = dem.height_m(33.0, 41.0).unwrap();
    assert!((300.0..700.0).contains(&anbar), "Anbar plateau {anbar} m");
}

/// Release-mode timing for the coverage-map use: 3600 radials × 1000 samples.
/// `cargo test -p iadsim-geo --release --test integration -- --ignored --nocapture bench`
#[test]
#[ignore = "timing; run in release with --ignored --nocapture"]
fn bench_radial_profiles_and_line_of_sight() {
    let dem = Dem::from_geotiff(&baghdad_dem_path()).unwrap();
    let radar = Geodetic::from_degrees(33.3, 44.1, 50.0);
    let mut profile = RadialProfile::default();
    let mut checksum = 0.0;
    // Best of five: the machine is shared with other builds.
    let mut t_profiles = std::time::Duration::MAX;
    for _ in 0..5 {
        let t0 = Instant::now();
        for i in 0..3600 {
            profile.rebuild(&dem, &radar, f64::from(i) * 0.1, 100_000.0, 100.0);
            checksum += profile.masking_angle_rad(1000).unwrap();
        }
        t_profiles = t_profiles.min(t0.elapsed());
    }
    let t3 = Instant::now();
    let mut direct_sum = 0.0;
    for i in 0..3600 {
        let (lat, _, _): (f64, f64, f64) =
            Geodesic::wgs84().direct(33.3, 44.1, f64::from(i) * 0.1, 50_000.0);
        direct_sum += lat;
    }
    println!(
        "3600 direct geodesics: {:.1} ms [{direct_sum:.1}]",
        t3.elapsed().as_secs_f64() * 1e3
    );
    let t1 = Instant::now();
    let mut n_visible = 0usize;
    // A 1000 x 1000 map's worth of queries, 1000 ranges on each of 1000 profiles' worth.
    for i in 0..1_000_000u32 {
        let s = f64::from(i % 1000 + 1) * 99.0;
        n_visible += usize::from(profile.visible(s, 500.0));
    }
    let t_visible = t1.elapsed();
    let mut rng = SplitMix(3);
    let t2 = Instant::now();
    let mut n_los = 0usize;
    for _ in 0..10_000 {
        let p = Geodetic::from_degrees(rng.uniform(32.0, 34.5), rng.uniform(41.0, 45.0), 60.0);
        let q = Geodetic::from_degrees(rng.uniform(32.0, 34.5), rng.uniform(41.0, 45.0), 300.0);
        n_los += usize::from(line_of_sight(Some(&dem), &p, &q));
    }
    let t_los = t2.elapsed();
    println!(
        "3600 radials x 1000 samples: {:.1} ms ({:.2} us/radial); 1e6 visible() calls: {:.1} ms; \
         10 000 line_of_sight over up to ~450 km on the 30\" DEM: {:.1} ms ({:.1} us each) \
         [checksum {checksum:.3}, {n_visible}, {n_los}]",
        t_profiles.as_secs_f64() * 1e3,
        t_profiles.as_secs_f64() * 1e6 / 3600.0,
        t_visible.as_secs_f64() * 1e3,
        t_los.as_secs_f64() * 1e3,
        t_los.as_secs_f64() * 1e6 / 10_000.0,
    );
}
