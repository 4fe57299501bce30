//! # iadsim-core
//!
//! The vocabulary every other iadsim crate shares:
//!
//! * [`SimTime`] / [`SimDuration`]: simulation time as integer nanoseconds, so that event ordering is
//!   exact and hashable and no floating-point drift accumulates over a long run. Convert to seconds
//!   (`as_secs_f64`) only at the boundary of a numerical model.
//! * Typed identifiers ([`TargetId`], [`TrackId`], [`SensorId`] …) so that a track number can never
//!   be passed where a target number is expected.
//! * [`random`]: the one documented way to derive a random stream from the master seed, the
//!   replication index and the subsystem ([`random::Stream`]), so that paired comparisons use common
//!   random numbers and results do not depend on thread count.
//! * [`angle::wrap_pi`]: the one bearing-difference wrap every stage uses.
//! * The plain data that crosses stage boundaries: [`Plot`] (sensors → tracker) and
//!   [`TrackReport`] (tracker → C2).
//!
//! Nothing here knows about truth: a [`Plot`] carries no target id. Truth provenance, for metrics,
//! is kept by the engine on its side of the truth firewall.
#![deny(missing_docs)]

pub mod angle;
pub mod ids;
pub mod plot;
pub mod random;
pub mod time;

pub use ids::*;
pub use plot::{Plot, PolarMeasurement, PolarSigma, TrackReport, TrackStatus};
pub use time::{SimDuration, SimTime};
