//! Geodesics on the WGS-84 ellipsoid, by Karney's algorithms (geographiclib-rs).
//!
//! C. F. F. Karney (2013), "Algorithms for geodesics", *Journal of Geodesy* 87:43–55,
//! doi:10.1007/s00190-012-0578-z. Accurate to about 15 nm for any pair of points, including
//! nearly antipodal ones.

use geographiclib_rs::{DirectGeodesic, Geodesic, InverseGeodesic};
use serde::Serialize;

use crate::error::GeoError;

/// The solution of the inverse geodesic problem (distance and azimuths between two points).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GeodesicInverse {
    /// Length of the shortest geodesic between the points, metres.
    pub distance_m: f64,
    /// Azimuth of the geodesic at point 1, degrees clockwise from north, in `[−180, 180]`.
    pub azi1_deg: f64,
    /// Forward azimuth of the geodesic at point 2 (the direction of travel on arrival),
    /// degrees clockwise from north, in `[−180, 180]`.
    pub azi2_deg: f64,
}

/// The solution of the direct geodesic problem (where a geodesic of given start, azimuth and
/// length ends).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GeodesicDirect {
    /// Latitude of the end point, degrees.
    pub lat_deg: f64,
    /// Longitude of the end point, degrees, in `[−180, 180]`.
    pub lon_deg: f64,
    /// Forward azimuth at the end point, degrees clockwise from north, in `[−180, 180]`.
    pub azi2_deg: f64,
}

pub(crate) fn check_finite(quantity: &'static str, value: f64) -> Result<f64, GeoError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(GeoError::NonFinite { quantity, value })
    }
}

pub(crate) fn check_latitude(quantity: &'static str, lat_deg: f64) -> Result<f64, GeoError> {
    check_finite(quantity, lat_deg)?;
    if (-90.0..=90.0).contains(&lat_deg) {
        Ok(lat_deg)
    } else {
        Err(GeoError::LatitudeOutOfRange {
            lat_deg,
            min_deg: -90.0,
            max_deg: 90.0,
        })
    }
}

/// Solves the inverse problem: the shortest geodesic from point 1 to point 2.
///
/// Latitudes must lie in `[−90, 90]` degrees; longitudes may be any finite value. For coincident
/// points the distance is 0 and the azimuths are a convention (geographiclib's); between the two
/// poles or exactly antipodal points the geodesic is not unique and one of them is returned.
///
/// ```
/// // Baghdad to Basra.
/// let g = iadsim_geo::inverse(33.3152, 44.3661, 30.5085, 47.7804).unwrap();
/// assert!((g.distance_m - 449_000.0).abs() < 2_000.0);
/// ```
pub fn inverse(
    lat1_deg: f64,
    lon1_deg: f64,
    lat2_deg: f64,
    lon2_deg: f64,
) -> Result<GeodesicInverse, GeoError> {
    check_latitude("lat1_deg", lat1_deg)?;
    check_finite("lon1_deg", lon1_deg)?;
    check_latitude("lat2_deg", lat2_deg)?;
    check_finite("lon2_deg", lon2_deg)?;
    let (distance_m, azi1_deg, azi2_deg, _arc_deg): (f64, f64, f64, f64) =
        Geodesic::wgs84().inverse(lat1_deg, lon1_deg, lat2_deg, lon2_deg);
    Ok(GeodesicInverse {
        distance_m,
        azi1_deg,
        azi2_deg,
    })
}

/// Solves the direct problem: the end of the geodesic that leaves `(lat_deg, lon_deg)` on azimuth
/// `azi_deg` (degrees clockwise from north) and runs `distance_m` metres (negative runs backwards).
///
/// ```
/// let end = iadsim_geo::direct(33.3, 44.4, 90.0, 10_000.0).unwrap();
/// let back = iadsim_geo::inverse(33.3, 44.4, end.lat_deg, end.lon_deg).unwrap();
/// assert!((back.distance_m - 10_000.0).abs() < 1e-6);
/// ```
pub fn direct(
    lat_deg: f64,
    lon_deg: f64,
    azi_deg: f64,
    distance_m: f64,
) -> Result<GeodesicDirect, GeoError> {
    check_latitude("lat_deg", lat_deg)?;
    check_finite("lon_deg", lon_deg)?;
    check_finite("azi_deg", azi_deg)?;
    check_finite("distance_m", distance_m)?;
    let (lat2, lon2, azi2): (f64, f64, f64) =
        Geodesic::wgs84().direct(lat_deg, lon_deg, azi_deg, distance_m);
    Ok(GeodesicDirect {
        lat_deg: lat2,
        lon_deg: lon2,
        azi2_deg: azi2,
    })
}
