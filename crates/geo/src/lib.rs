//! WGS-84 frames, geodesics and the 4/3-earth radar horizon for iadsim.
//!
//! # What it does
//!
//! * Positions in three frames that are distinct types, so they cannot be mixed by accident:
//!   [`Geodetic`] (latitude, longitude, height above the WGS-84 ellipsoid; for input and output),
//!   [`Ecef`] (Earth-centred Earth-fixed, metres; for truth and tracker state) and [`Enu`] (a
//!   sensor's local East-North-Up frame, metres, owned by an [`EnuFrame`]). Conversions are
//!   closed-form and exact to rounding: geodetic → ECEF by the textbook `N(φ)` formulas,
//!   ECEF → geodetic by Vermeille's (2011) analytical method, valid at every altitude.
//! * Range, azimuth and elevation in an ENU frame ([`Polar`], [`enu_to_polar`],
//!   [`polar_to_enu`]).
//! * Geodesic distance and azimuths on the ellipsoid ([`inverse`], [`direct`]) by Karney's
//!   algorithms via `geographiclib-rs`, with input checks that return [`GeoError`].
//! * The radar horizon and line of sight over a smooth sphere of radius `4/3 · R`
//!   ([`radar_horizon_m`], [`line_of_sight_4_3`], [`elevation_angle_4_3_rad`]).
//! * Terrain ([`terrain`]): a geographic-grid elevation model read from a GeoTIFF ([`Dem`]),
//!   terrain-masked line of sight ([`line_of_sight`]) and per-radial masking profiles for
//!   coverage maps ([`terrain_horizon_profile`], [`RadialProfile`]).
//!
//! # A worked example
//!
//! A radar on a 24 m mast south-west of Baghdad looks at a cruise missile 30 m above the
//! ellipsoid 40 km to the west:
//!
//! ```
//! use iadsim_geo::{direct, enu_to_polar, line_of_sight_4_3, radar_horizon_m, EnuFrame, Geodetic};
//!
//! let radar = Geodetic::from_degrees(33.30, 44.10, 24.0);
//! // Where is the point 40 km due west (azimuth 270°) along the ellipsoid?
//! let end = direct(radar.lat_deg(), radar.lon_deg(), 270.0, 40_000.0)?;
//! let missile = Geodetic::from_degrees(end.lat_deg, end.lon_deg, 30.0);
//!
//! // Truth lives in ECEF; the radar measures in its own ENU frame.
//! let frame = EnuFrame::new(radar);
//! let seen = enu_to_polar(&frame.to_enu(&missile.to_ecef()));
//! assert!((seen.range_m - 40_000.0).abs() < 10.0);
//! assert!((seen.azimuth_rad.to_degrees() - 270.0).abs() < 0.01);
//! assert!(seen.elevation_rad < 0.0); // the earth curves away: below the local horizontal
//!
//! // Inside the ~42.8 km 4/3-earth horizon for these heights, so the ray clears the earth.
//! assert!(radar_horizon_m(24.0, 30.0) > 40_000.0);
//! assert!(line_of_sight_4_3(&radar, &missile));
//!
//! // Back to geodetic for output.
//! let back = frame.to_ecef(&frame.to_enu(&missile.to_ecef())).to_geodetic();
//! assert!((back.alt_m - 30.0).abs() < 1e-6);
//! # Ok::<(), iadsim_geo::GeoError>(())
//! ```
//!
//! # What it does not guarantee
//!
//! * **Heights are above the ellipsoid**, not above mean sea level or terrain; the geoid
//!   separation in Iraq is about −20 … +10 m and is not applied here.
//! * **The 4/3 earth is a median atmosphere.** Ducting, sub-refraction and diffraction beyond
//!   the horizon or over ridges are not modelled; `line_of_sight_4_3` is a smooth-sphere test,
//!   and the sphere is fitted to the ground distance (WGS-84 geodesic), not to the ellipsoid's
//!   local curvature. Terrain masking is [`line_of_sight`] with a [`Dem`], on the same sphere;
//!   DEM heights (SRTM, Copernicus: above the geoid) are used as heights above the ellipsoid.
//! * **Angles are not normalised on input.** `Geodetic` accepts any numbers; only the geodesic
//!   functions validate their inputs. Longitude is undefined on the polar axis (returned as 0),
//!   and geodesic azimuths of coincident, antipodal or polar points are conventions.
//! * **`Polar` is geometric**: `enu_to_polar` does not add refraction. Use
//!   [`elevation_angle_4_3_rad`] for the refracted elevation.
//! * **Frames are static.** ECEF is treated as a fixed frame; there is no Earth rotation,
//!   polar motion or plate drift, so nothing here is fit for inertial navigation or orbits.
#![deny(missing_docs)]

mod ellipsoid;
mod enu;
mod error;
mod geodesic;
mod horizon;
mod polar;
pub mod terrain;

pub use ellipsoid::{radii_of_curvature, Ecef, Geodetic, WGS84_A_M, WGS84_B_M, WGS84_E2, WGS84_F};
pub use enu::{Enu, EnuFrame};
pub use error::GeoError;
pub use geodesic::{direct, inverse, GeodesicDirect, GeodesicInverse};
pub use horizon::{
    elevation_angle_4_3_rad, line_of_sight_4_3, radar_horizon_m, EFFECTIVE_EARTH_FACTOR,
    EFFECTIVE_EARTH_RADIUS_M, MEAN_EARTH_RADIUS_M,
};
pub use polar::{enu_to_polar, polar_to_enu, Polar};
pub use terrain::{
    line_of_sight, terrain_horizon_profile, Dem, DemBounds, RadialProfile, TerrainError,
};
