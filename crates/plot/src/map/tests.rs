//! Map rendering tests: size, determinism, holes, overlaps, scale, bad input, font metrics.

use super::geometry::{Projection, Rect};
use super::*;
use crate::font::{self, FontMetrics, FONT_TTF};

const BAGHDAD: (f64, f64) = (44.3661, 33.3152);

/// A circle of `radius_km` around (lon, lat), in degrees, on a local sphere (good enough for a
/// test picture).
fn circle(lon: f64, lat: f64, radius_km: f64) -> Vec<(f64, f64)> {
    let r_deg = radius_km / 111.2;
    (0..=96)
        .map(|k| {
            let a = k as f64 / 96.0 * std::f64::consts::TAU;
            (
                lon + r_deg * a.cos() / lat.to_radians().cos(),
                lat + r_deg * a.sin(),
            )
        })
        .collect()
}

fn example_layers() -> Vec<MapLayer> {
    let (lon, lat) = BAGHDAD;
    vec![
        MapLayer {
            label: "Surveillance radar, Pd ≥ 0.5 at 10 km altitude (synthetic)".to_string(),
            rgb: (31, 119, 180),
            fill_opacity: 0.25,
            polygons: vec![vec![circle(lon, lat, 390.0), circle(lon, lat, 60.0)]],
        },
        MapLayer {
            label: "Engagement zone, battery 2".to_string(),
            rgb: (214, 39, 40),
            fill_opacity: 0.30,
            polygons: vec![vec![circle(lon + 1.5, lat - 1.2, 120.0)]],
        },
    ]
}

fn example_points() -> Vec<MapPoint> {
    vec![
        MapPoint {
            label: "Radar site 1".to_string(),
            lon_deg: BAGHDAD.0,
            lat_deg: BAGHDAD.1,
            kind: PointKind::Site,
        },
        MapPoint {
            label: "Battery 2".to_string(),
            lon_deg: BAGHDAD.0 + 1.5,
            lat_deg: BAGHDAD.1 - 1.2,
            kind: PointKind::Site,
        },
        MapPoint {
            label: "Baghdad airport".to_string(),
            lon_deg: 44.2346,
            lat_deg: 33.2625,
            kind: PointKind::Asset,
        },
    ]
}

fn example_spec<'a>(layers: &'a [MapLayer], points: &'a [MapPoint]) -> MapSpec<'a> {
    MapSpec {
        title: "Radar coverage — Baghdad S-400 scenario",
        subtitle: "Target altitude 10 km, 4/3 Earth, Swerling 1, Pd ≥ 0.5",
        layers,
        points,
        bbox_deg: None,
    }
}

/// Layers only: no title, no markers.
fn bare_spec(layers: &[MapLayer], bbox_deg: Option<(f64, f64, f64, f64)>) -> MapSpec<'_> {
    MapSpec {
        title: "",
        subtitle: "",
        layers,
        points: &[],
        bbox_deg,
    }
}

fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    assert_eq!(&bytes[12..16], b"IHDR");
    let w = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    (w, h)
}

#[test]
fn map_png_has_expected_size_and_is_deterministic() {
    let (layers, points) = (example_layers(), example_points());
    let spec = example_spec(&layers, &points);
    let a = render(&spec).unwrap().to_png().unwrap();
    let b = render(&spec).unwrap().to_png().unwrap();
    assert_eq!(png_size(&a), (IMAGE_W, IMAGE_H));
    assert!(a == b, "same spec must give the same bytes");
}

#[test]
fn map_hole_is_not_filled() {
    let layers = example_layers();
    let bbox = (38.0, 28.0, 51.0, 38.0);
    let with = bare_spec(&layers, Some(bbox));
    let without = MapSpec {
        layers: &[],
        ..with
    };
    let (rgb, bare) = (render_rgb(&with).unwrap(), render_rgb(&without).unwrap());
    let proj = Projection::fit(bbox, map_frame());
    let px = |img: &[u8], lon: f64, lat: f64| {
        let (x, y) = proj.xy(lon, lat);
        let i = (y as usize * IMAGE_W as usize + x as usize) * 3;
        (img[i], img[i + 1], img[i + 2])
    };
    let (lon, lat) = BAGHDAD;
    // 20 km from the centre: inside the 60 km hole; 200 km: inside the ring.
    let hole = (lon - 0.2, lat + 0.1);
    let ring = (lon - 2.0, lat + 0.5);
    assert_eq!(px(&rgb, hole.0, hole.1), px(&bare, hole.0, hole.1));
    assert_ne!(px(&rgb, ring.0, ring.1), px(&bare, ring.0, ring.1));
}

#[test]
fn map_layers_overlapping_in_one_layer_do_not_darken() {
    let (lon, lat) = BAGHDAD;
    let layers = vec![MapLayer {
        label: "two discs".to_string(),
        rgb: (0, 0, 0),
        fill_opacity: 0.5,
        polygons: vec![
            vec![circle(lon, lat, 100.0)],
            vec![circle(lon + 0.5, lat, 100.0)],
        ],
    }];
    let spec = bare_spec(&layers, None);
    let rgb = render_rgb(&spec).unwrap();
    let proj = Projection::fit(view_bbox_deg(&spec), map_frame());
    let px = |lon: f64, lat: f64| {
        let (x, y) = proj.xy(lon, lat);
        rgb[(y as usize * IMAGE_W as usize + x as usize) * 3]
    };
    assert_eq!(px(lon - 0.3, lat + 0.3), px(lon + 0.25, lat + 0.3));
}

#[test]
fn map_scale_matches_geodesic_along_the_parallel() {
    let proj = Projection::fit(
        (40.0, 30.0, 50.0, 36.0),
        Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 1000.0,
            y1: 1000.0,
        },
    );
    // 0.1° of longitude along the mid-latitude parallel: the geodesic and the parallel arc
    // agree to ~1e-6 at this length, so the tolerance is about the arc/chord difference.
    let px = 0.1 * proj.cos_lat0 * proj.px_per_deg;
    let g = iadsim_geo::inverse(proj.lat_c, 45.0, proj.lat_c, 45.1).unwrap();
    let rel = (px * proj.metres_per_px() - g.distance_m).abs() / g.distance_m;
    assert!(rel < 1e-5, "relative error {rel}");
}

#[test]
fn map_rejects_bad_input() {
    let layers = vec![MapLayer {
        label: "bad".to_string(),
        rgb: (0, 0, 0),
        fill_opacity: 0.5,
        polygons: vec![vec![vec![(f64::NAN, 1.0), (2.0, 2.0), (3.0, 1.0)]]],
    }];
    let spec = bare_spec(&layers, None);
    assert!(render_rgb(&spec).is_err());
    let spec = MapSpec {
        layers: &[],
        bbox_deg: Some((50.0, 30.0, 40.0, 35.0)),
        ..spec
    };
    assert!(render_rgb(&spec).is_err());
}

#[test]
fn map_font_metrics_agree_with_plotters() {
    assert!(font::metrics().is_some());
    let m = FontMetrics::parse(FONT_TTF).unwrap();
    // plotters truncates its layout width to whole pixels, hence 100 repetitions and 1 px.
    for c in ['M', 'i', 'a', '°', '≥', 'ö'] {
        let text: String = std::iter::repeat_n(c, 100).collect();
        let (w, _) = font::font(20.0).box_size(&text).unwrap();
        let ours = 100.0 * 20.0 * m.h_metrics(c).0;
        assert!((ours - w as f64).abs() <= 1.0, "{c}: {ours} vs {w}");
    }
}
