//! Integer simulation time.
use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::{Add, AddAssign, Sub};

const NS_PER_S: f64 = 1e9;

/// An instant of simulation time, in integer nanoseconds since the scenario start.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct SimTime(pub i64);

/// A span of simulation time, in integer nanoseconds.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct SimDuration(pub i64);

/// Seconds to integer nanoseconds, rounded to the nearest (the one conversion into time).
fn ns_from_secs(s: f64) -> i64 {
    (s * NS_PER_S).round() as i64
}

/// Integer nanoseconds to seconds (the one conversion out of time).
fn secs_from_ns(ns: i64) -> f64 {
    ns as f64 / NS_PER_S
}

impl SimTime {
    /// Scenario start.
    pub const ZERO: SimTime = SimTime(0);

    /// From seconds, rounded to the nearest nanosecond.
    pub fn from_secs_f64(s: f64) -> Self {
        SimTime(ns_from_secs(s))
    }

    /// Seconds since the scenario start.
    pub fn as_secs_f64(self) -> f64 {
        secs_from_ns(self.0)
    }
}

impl SimDuration {
    /// Zero length.
    pub const ZERO: SimDuration = SimDuration(0);

    /// From seconds, rounded to the nearest nanosecond.
    pub fn from_secs_f64(s: f64) -> Self {
        SimDuration(ns_from_secs(s))
    }

    /// Length in seconds.
    pub fn as_secs_f64(self) -> f64 {
        secs_from_ns(self.0)
    }
}

impl Add<SimDuration> for SimTime {
    type Output = SimTime;
    fn add(self, rhs: SimDuration) -> SimTime {
        SimTime(self.0 + rhs.0)
    }
}

impl AddAssign<SimDuration> for SimTime {
    fn add_assign(&mut self, rhs: SimDuration) {
        self.0 += rhs.0;
    }
}

impl Sub for SimTime {
    type Output = SimDuration;
    fn sub(self, rhs: SimTime) -> SimDuration {
        SimDuration(self.0 - rhs.0)
    }
}

impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.3} s", self.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_round_trip_to_the_nanosecond() {
        let t = SimTime::from_secs_f64(1_234.567_890_123);
        assert_eq!(t.0, 1_234_567_890_123);
        assert_eq!(
            (t + SimDuration::from_secs_f64(0.5)) - t,
            SimDuration(500_000_000)
        );
    }
}
