//! The interceptor crate's error vocabulary.
use thiserror::Error;

/// Why an interceptor model could not be built or launched.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum InterceptorError {
    /// A parameter that must be a finite number > 0 was not.
    #[error("`{field}` must be finite and > 0, got {value}")]
    NotPositive {
        /// The parameter's name.
        field: &'static str,
        /// The offending value.
        value: f64,
    },
    /// The launch direction has no direction (zero, or not finite).
    #[error("launch direction [{x}, {y}, {z}] is zero or not finite")]
    BadLaunchDirection {
        /// x component.
        x: f64,
        /// y component.
        y: f64,
        /// z component.
        z: f64,
    },
    /// The launch position is not finite.
    #[error("launch position is not finite")]
    BadLaunchPosition,
    /// A [`crate::MissileAero`] field is outside its allowed range.
    #[error("`{field}` = {value} is outside the allowed range {allowed}")]
    OutOfRange {
        /// The field name, as in [`crate::MissileAero`] and the presets.
        field: &'static str,
        /// The offending value.
        value: f64,
        /// The allowed range, e.g. `(0, 100]` or `[0, 1]`.
        allowed: &'static str,
    },
    /// The propellant masses leave no burnout mass.
    #[error(
        "boost_propellant_kg + sustain_propellant_kg = {propellant_kg} kg must be less than \
         launch_mass_kg = {launch_mass_kg} kg"
    )]
    PropellantExceedsMass {
        /// Sum of the two propellant masses, kg.
        propellant_kg: f64,
        /// `launch_mass_kg`.
        launch_mass_kg: f64,
    },
    /// A motor phase burns propellant in zero time (`sustain_time_s = 0` with propellant > 0).
    #[error("sustain_propellant_kg = {propellant_kg} kg needs sustain_time_s > 0")]
    PropellantWithoutBurnTime {
        /// `sustain_propellant_kg`.
        propellant_kg: f64,
    },
    /// A flyout-table or envelope grid is empty, unordered or not finite.
    #[error("grid `{name}` must be finite, strictly increasing and non-empty")]
    BadGrid {
        /// Which grid.
        name: &'static str,
    },
}
