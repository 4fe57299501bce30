//! # iadsim-physics
//!
//! Truth-grade models of how things move, and the environment they move in:
//!
//! * target [`Route`]s: waypoints joined by WGS-84 geodesics, flown at a constant 3-D speed with
//!   the height above the ellipsoid varying linearly with ground distance along each leg;
//! * the standard atmosphere ([`atmosphere`], US76 = ICAO ISA, [`isa`]);
//! * the rotating earth ([`earth`]): WGS-84 normal gravity and the Coriolis term, which the
//!   interceptor flyout (`iadsim-interceptor`) integrates.
//!
//! ## One tick
//!
//! The engine builds each target's route once from the validated scenario, then at every tick asks
//! for the truth state at the time since the target's launch:
//!
//! ```
//! use iadsim_geo::Geodetic;
//! use iadsim_physics::Route;
//!
//! // A cruise missile 30 m above the ellipsoid, from western Iraq to Baghdad at 250 m/s.
//! let route = Route::new(
//!     &[Geodetic::from_degrees(33.0, 41.0, 30.0), Geodetic::from_degrees(33.26, 44.23, 30.0)],
//!     250.0,
//! )?;
//! let now = route.state_at(600.0);
//! assert!(!now.finished);
//! assert!((now.position.alt_m - 30.0).abs() < 1e-3); // stays at 30 m, never underground
//! assert!((now.velocity_ecef_mps.norm() - 250.0).abs() < 1e-9);
//! // The truth position and velocity (ECEF) go to the sensors, behind the truth firewall.
//! let _ = (now.position_ecef_m, now.velocity_ecef_mps);
//! assert!(route.state_at(route.duration_s()).finished);
//! # Ok::<(), iadsim_physics::PhysicsError>(())
//! ```
//!
//! ## What it does not guarantee
//!
//! * Heights are **above the WGS-84 ellipsoid**, not above mean sea level or terrain; there is no
//!   terrain following and nothing stops a route from being flown through a hill.
//! * Turns are **instantaneous** at the waypoints: the velocity jumps in direction (and in climb
//!   angle), the acceleration there is unbounded. Model a gentle turn with more waypoints.
//! * The speed is constant along the whole route, including climbs and dives.
//! * Ground distances are geodesics, i.e. the *shortest* path on the ellipsoid: a leg longer than
//!   half the Earth goes the short way round.
#![deny(missing_docs)]

pub mod atmosphere;
pub mod earth;
mod error;
mod route;

pub use atmosphere::{isa, Atmosphere};
pub use error::PhysicsError;
pub use route::{Route, RouteState};
