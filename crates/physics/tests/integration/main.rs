//! The one integration-test binary of iadsim-physics.
mod isa;
mod properties;
mod validation;

use iadsim_geo::Geodetic;
use iadsim_physics::Route;

/// A three-leg route near Baghdad: climb from 30 m to 10 km, cruise at 10 km, dive to 500 m.
pub fn climb_cruise_dive() -> Route {
    Route::new(
        &[
            Geodetic::from_degrees(32.0, 41.5, 30.0),
            Geodetic::from_degrees(32.6, 42.4, 10_000.0),
            Geodetic::from_degrees(33.5, 43.9, 10_000.0),
            Geodetic::from_degrees(33.26, 44.23, 500.0),
        ],
        250.0,
    )
    .unwrap()
}

/// The cruise-missile leg of the default scenario: 300 km at 30 m above the ellipsoid.
pub fn low_route() -> Route {
    Route::new(
        &[
            Geodetic::from_degrees(33.0, 41.0, 30.0),
            Geodetic::from_degrees(33.26, 44.23, 30.0),
        ],
        240.0,
    )
    .unwrap()
}
