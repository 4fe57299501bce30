//! The interceptor's speed profile: a kinematic stand-in for thrust and drag.
use crate::InterceptorError;
use serde::{Deserialize, Serialize};

/// Fraction of the peak speed below which an interceptor is no longer useful, used by
/// [`Kinematics::for_max_range`] to turn a published maximum range into a flyout limit.
///
/// The rule: a missile's published maximum range is where it arrives with just enough speed to
/// manoeuvre against a target. Below roughly a third of its peak speed a coasting SAM has lost most
/// of its lateral-acceleration capability (which scales with dynamic pressure, i.e. speed squared:
/// 0.3² ≈ 9 % of the peak), so we take 30 %. This is a modelling choice, not a published number;
/// the 3-DOF flyout (thrust, drag, ISA atmosphere) will replace it with a speed- and
/// altitude-dependent manoeuvre limit.
pub const MIN_USEFUL_SPEED_FRACTION: f64 = 0.3;

/// Point-mass kinematic limits of an interceptor (SI units).
///
/// Speed profile (see [`Kinematics::speed_at`]):
/// * boost, `0 ≤ t < boost_time_s`: linear rise from `launch_speed_mps` to `max_speed_mps`;
/// * coast, `t ≥ boost_time_s`: `v = max_speed_mps · exp(−(t − boost_time_s) / coast_decay_s)`.
///
/// `coast_decay_s = +inf` gives a constant speed after boost (useful for textbook engagements);
/// note that JSON cannot hold infinity, TOML can (`inf`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kinematics {
    /// Peak speed, reached at burnout, m/s.
    pub max_speed_mps: f64,
    /// Boost duration, s (0 = instantaneous).
    pub boost_time_s: f64,
    /// e-folding time of the coast speed decay, s (`+inf`: no decay).
    pub coast_decay_s: f64,
    /// Flight time after which the interceptor is lost (self-destructs), s.
    pub max_flight_time_s: f64,
    /// Limit on the magnitude of the lateral (guidance) acceleration, m/s².
    pub max_lateral_accel_mps2: f64,
    /// Effective navigation ratio N' of proportional navigation (typically 3–5).
    pub nav_constant: f64,
    /// Speed when leaving the launcher, m/s.
    pub launch_speed_mps: f64,
}

impl Kinematics {
    /// Kinematics whose flyout limit is a published maximum range.
    ///
    /// The launch speed is taken as 0 (all the energy comes from the motor, which is what the
    /// published range reflects); `coast_decay_s` and `max_flight_time_s` are chosen so that a
    /// straight flight covers exactly `max_range_m` at the instant the speed falls to
    /// [`MIN_USEFUL_SPEED_FRACTION`] of `max_speed_mps`:
    ///
    /// ```text
    /// d_boost = max_speed · boost_time / 2
    /// coast_decay = (max_range − d_boost) / (max_speed · (1 − f))
    /// max_flight_time = boost_time + coast_decay · ln(1 / f)
    /// ```
    ///
    /// Changing `launch_speed_mps` afterwards shifts the range by `launch_speed · boost_time / 2`.
    pub fn for_max_range(
        max_range_m: f64,
        max_speed_mps: f64,
        boost_time_s: f64,
        max_lateral_accel_mps2: f64,
        nav_constant: f64,
    ) -> Result<Kinematics, InterceptorError> {
        positive("max_range_m", max_range_m)?;
        positive("max_speed_mps", max_speed_mps)?;
        non_negative("boost_time_s", boost_time_s)?;
        let f = MIN_USEFUL_SPEED_FRACTION;
        let boost_distance_m = 0.5 * max_speed_mps * boost_time_s;
        if max_range_m <= boost_distance_m {
            return Err(InterceptorError::RangeWithinBoost {
                max_range_m,
                boost_distance_m,
            });
        }
        let coast_decay_s = (max_range_m - boost_distance_m) / (max_speed_mps * (1.0 - f));
        let kin = Kinematics {
            max_speed_mps,
            boost_time_s,
            coast_decay_s,
            max_flight_time_s: boost_time_s + coast_decay_s * (1.0 / f).ln(),
            max_lateral_accel_mps2,
            nav_constant,
            launch_speed_mps: 0.0,
        };
        kin.validate()?;
        Ok(kin)
    }

    /// Check that every field is in its domain.
    pub fn validate(&self) -> Result<(), InterceptorError> {
        positive("max_speed_mps", self.max_speed_mps)?;
        non_negative("boost_time_s", self.boost_time_s)?;
        if self.coast_decay_s.is_nan() || self.coast_decay_s <= 0.0 {
            return Err(InterceptorError::CoastDecay {
                value: self.coast_decay_s,
            });
        }
        positive("max_flight_time_s", self.max_flight_time_s)?;
        positive("max_lateral_accel_mps2", self.max_lateral_accel_mps2)?;
        non_negative("nav_constant", self.nav_constant)?;
        non_negative("launch_speed_mps", self.launch_speed_mps)?;
        if self.launch_speed_mps > self.max_speed_mps {
            return Err(InterceptorError::LaunchFasterThanMax {
                launch_speed_mps: self.launch_speed_mps,
                max_speed_mps: self.max_speed_mps,
            });
        }
        Ok(())
    }

    /// Speed at time of flight `t_s`, m/s (`t_s < 0` is treated as 0). Never negative.
    pub fn speed_at(&self, t_s: f64) -> f64 {
        let t = t_s.max(0.0);
        let v = if t < self.boost_time_s {
            self.launch_speed_mps
                + (self.max_speed_mps - self.launch_speed_mps) * t / self.boost_time_s
        } else {
            self.max_speed_mps * (-(t - self.boost_time_s) / self.coast_decay_s).exp()
        };
        v.max(0.0)
    }

    /// Path length flown from launch to time of flight `t_s`, m (closed-form integral of
    /// [`Kinematics::speed_at`]; `t_s < 0` is treated as 0).
    pub fn distance_flown(&self, t_s: f64) -> f64 {
        let t = t_s.max(0.0);
        let (v0, vm, tb) = (self.launch_speed_mps, self.max_speed_mps, self.boost_time_s);
        if t < tb {
            return v0 * t + 0.5 * (vm - v0) * t * t / tb;
        }
        let boost = 0.5 * (v0 + vm) * tb;
        let s = t - tb;
        let coast = if self.coast_decay_s.is_infinite() {
            vm * s
        } else {
            // τ·(1 − e^{−s/τ}) via expm1, exact to rounding for s ≪ τ as well.
            -vm * self.coast_decay_s * (-s / self.coast_decay_s).exp_m1()
        };
        boost + coast
    }

    /// Straight-line reach: the path length flown by `max_flight_time_s`, m.
    pub fn max_reach_m(&self) -> f64 {
        self.distance_flown(self.max_flight_time_s)
    }
}

fn positive(field: &'static str, value: f64) -> Result<(), InterceptorError> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(InterceptorError::NotPositive { field, value })
    }
}

fn non_negative(field: &'static str, value: f64) -> Result<(), InterceptorError> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(InterceptorError::Negative { field, value })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_is_the_integral_of_speed() {
        let kin = Kinematics {
            max_speed_mps: 1500.0,
            boost_time_s: 4.0,
            coast_decay_s: 40.0,
            max_flight_time_s: 90.0,
            max_lateral_accel_mps2: 300.0,
            nav_constant: 4.0,
            launch_speed_mps: 40.0,
        };
        // Composite Simpson on a fine grid, split at burnout where speed has a kink.
        let simpson = |a: f64, b: f64| {
            let n = 2000;
            let h = (b - a) / n as f64;
            let mut s = kin.speed_at(a) + kin.speed_at(b);
            for i in 1..n {
                let w = if i % 2 == 1 { 4.0 } else { 2.0 };
                s += w * kin.speed_at(a + i as f64 * h);
            }
            s * h / 3.0
        };
        let numeric = simpson(0.0, 4.0) + simpson(4.0, 60.0);
        assert!((kin.distance_flown(60.0) - numeric).abs() < 1e-6);
    }
}
