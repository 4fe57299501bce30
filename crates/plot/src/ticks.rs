//! Axis ticks: where they go and how they are written, for every figure of the crate (the map's
//! graticule, the envelope's axes and colour bar, the study plots).
//!
//! A step is "nice" when it is a mantissa (1, 2, 2.5 or 5) times a power of ten; ticks are the
//! multiples of the step inside the axis range, and a label has as many decimals as the step
//! needs, so every label of an axis has the same number of decimals.

/// The mantissas of a nice axis step.
pub const AXIS_MANTISSAS: [f64; 4] = [1.0, 2.0, 2.5, 5.0];

/// Tick positions on one axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Ticks {
    /// Tick values, ascending, all multiples of `step`.
    pub values: Vec<f64>,
    /// Distance between ticks (sets the decimals of the labels).
    pub step: f64,
}

impl Ticks {
    /// The multiples of `step > 0` in `[lo, hi]`. The range's ends are usually computed in floating
    /// point, so a multiple within 10⁻⁹ step outside an end still counts as inside.
    pub fn multiples(lo: f64, hi: f64, step: f64) -> Ticks {
        let first = (lo / step - 1e-9).ceil() as i64;
        let last = (hi / step + 1e-9).floor() as i64;
        Ticks {
            values: (first..=last).map(|k| k as f64 * step).collect(),
            step,
        }
    }

    /// About `target` ticks in `[lo, hi]` at a nice step ([`AXIS_MANTISSAS`]); just `lo` (step
    /// 1) if the range is empty or not finite.
    pub fn nice(lo: f64, hi: f64, target: f64) -> Ticks {
        let span = hi - lo;
        if !(span.is_finite() && span > 0.0) {
            return Ticks {
                values: vec![lo],
                step: 1.0,
            };
        }
        Ticks::multiples(lo, hi, nice_step(span / target, &AXIS_MANTISSAS))
    }

    /// The label of `v` on this axis (see [`tick_label`]).
    pub fn label(&self, v: f64) -> String {
        tick_label(v, self.step)
    }
}

/// The smallest `m × 10^k` (`m` from `mantissas`, ascending, in `[1, 10)`) at or above `raw > 0`.
pub fn nice_step(raw: f64, mantissas: &[f64]) -> f64 {
    let p = 10f64.powf(raw.log10().floor());
    mantissas
        .iter()
        .map(|m| m * p)
        .find(|&x| x >= raw * (1.0 - 1e-12))
        .unwrap_or(10.0 * p)
}

/// The largest `m × 10^k` (`m` from `mantissas`, ascending, in `[1, 10)`) not above `max > 0`
/// (e.g. the length of a scale bar that must fit).
pub fn nice_floor(max: f64, mantissas: &[f64]) -> f64 {
    let decade = 10f64.powf(max.log10().floor());
    mantissas
        .iter()
        .rev()
        .map(|s| s * decade)
        .find(|&v| v <= max * (1.0 + 1e-9))
        .unwrap_or(decade)
}

/// A scale from 0 covering `v` (a colour bar, a count axis): `(top, step)` with `step` 1, 2 or
/// 5 × 10^k giving at most six ticks and `top` the first multiple of `step` at or above `v`;
/// `(1, 0.2)` if `v` is not positive.
pub fn nice_scale(v: f64) -> (f64, f64) {
    if !(v.is_finite() && v > 0.0) {
        return (1.0, 0.2);
    }
    let step = nice_step(v / 6.0, &[1.0, 2.0, 5.0]);
    ((v / step - 1e-9).ceil().max(1.0) * step, step)
}

/// A tick value with as many decimals as `step` needs (up to 4): 150 for step 50, "0.50" for
/// step 0.25; a value that is zero to rounding is written without a minus sign.
pub fn tick_label(v: f64, step: f64) -> String {
    let decimals = (0..4)
        .find(|&d| {
            let s = step * 10f64.powi(d);
            (s - s.round()).abs() < 1e-9
        })
        .unwrap_or(4) as usize;
    let v = if v.abs() < step * 1e-9 { 0.0 } else { v };
    format!("{v:.decimals$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ticks_are_multiples_inside_the_range() {
        assert_eq!(
            Ticks::nice(0.0, 330.0, 10.0),
            Ticks {
                values: (0..=6).map(|k| 50.0 * k as f64).collect(),
                step: 50.0
            }
        );
        let t = Ticks::nice(-0.9, 1.1, 8.0);
        assert_eq!(t.step, 0.25);
        assert_eq!(t.values.first(), Some(&-0.75));
        assert_eq!(Ticks::nice(1.0, 1.0, 5.0).values, vec![1.0]);
    }

    #[test]
    fn multiples_keep_an_end_lost_to_rounding() {
        // 0.1 + 0.2 is 0.30000000000000004: the tick at 0.3 is still inside [0.1 + 0.2, 1].
        let t = Ticks::multiples(0.1 + 0.2, 1.0, 0.1);
        assert_eq!(t.values.len(), 8);
        assert_eq!(Ticks::multiples(44.2, 47.9, 1.0).values, [45.0, 46.0, 47.0]);
    }

    #[test]
    fn labels_have_the_decimals_of_the_step() {
        assert_eq!(tick_label(0.5, 0.25), "0.50");
        assert_eq!(tick_label(-1e-17, 0.25), "0.00");
        assert_eq!(tick_label(150.0, 50.0), "150");
        assert_eq!(tick_label(33.5, 0.5), "33.5");
        assert_eq!(Ticks::multiples(0.0, 1.0, 0.1).label(0.3), "0.3");
    }

    #[test]
    fn nice_scale_covers_the_value_with_at_most_six_ticks() {
        assert_eq!(nice_scale(277.0), (300.0, 50.0));
        assert_eq!(nice_scale(52.5), (60.0, 10.0));
        assert_eq!(nice_scale(300.0), (300.0, 50.0));
        assert_eq!(nice_scale(0.0), (1.0, 0.2));
    }

    #[test]
    fn nice_floor_is_the_largest_nice_value_that_fits() {
        assert_eq!(nice_floor(740.0, &AXIS_MANTISSAS), 500.0);
        assert_eq!(nice_floor(260.0, &AXIS_MANTISSAS), 250.0);
        assert_eq!(nice_floor(199.0, &AXIS_MANTISSAS), 100.0);
        assert_eq!(nice_floor(2.0, &AXIS_MANTISSAS), 2.0);
    }
}
