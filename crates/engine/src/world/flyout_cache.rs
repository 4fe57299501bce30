//! Flyout tables shared by every world of the process. Building one takes a fraction of a
//! second and a Monte Carlo study builds many worlds; a table is a pure function of the missile's
//! aerodynamics and the table's grid, so sharing it keeps runs deterministic. The key holds every
//! input as exact bit patterns (destructured field by field, so a new field cannot be forgotten).
use crate::scenario::MissileSpec;
use iadsim_interceptor::{FlightOptions, FlyoutTable, InterceptorError, MissileAero, TableSpec};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};

/// The flyout table reaches this multiple of the published maximum range, so that the published
/// limit, not the table's edge, bounds the envelope.
const FLYOUT_TABLE_RANGE_FACTOR: f64 = 1.2;

/// Everything a flyout table is built from; equal keys mean bit-identical inputs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct FlyoutKey {
    /// The `f64` fields of [`MissileAero`], as bits, in declaration order.
    aero: [u64; 21],
    augmented_pn: bool,
    ground_ranges_m: Vec<u64>,
    altitudes_m: Vec<u64>,
    /// `dt_s`, `reference_latitude_deg`, `required_lateral_accel_mps2`.
    grid: [u64; 3],
    edge_bisections: u32,
    /// The `f64` fields of [`FlightOptions`], as bits, in declaration order.
    options: [u64; 5],
    gravity_compensation: bool,
}

impl FlyoutKey {
    fn new(aero: &MissileAero, spec: &TableSpec) -> FlyoutKey {
        let MissileAero {
            launch_mass_kg,
            diameter_m,
            boost_thrust_n,
            boost_time_s,
            boost_propellant_kg,
            sustain_thrust_n,
            sustain_time_s,
            sustain_propellant_kg,
            cd0_subsonic,
            cd0_supersonic,
            cn_max,
            induced_drag_factor,
            max_lateral_g,
            guidance_time_constant_s,
            nav_constant,
            augmented_pn,
            loft_factor,
            launch_elevation_deg,
            max_flight_time_s,
            min_speed_mps,
            lethal_radius_m,
            pk,
        } = *aero;
        let TableSpec {
            ground_ranges_m,
            altitudes_m,
            dt_s,
            reference_latitude_deg,
            required_lateral_accel_mps2,
            edge_bisections,
            options,
        } = spec;
        let FlightOptions {
            launch_hold_s,
            pitch_over_time_constant_s,
            pitch_over_done_deg,
            pitch_over_max_s,
            terminal_time_to_go_s,
            gravity_compensation,
        } = *options;
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<u64>>();
        FlyoutKey {
            aero: [
                launch_mass_kg,
                diameter_m,
                boost_thrust_n,
                boost_time_s,
                boost_propellant_kg,
                sustain_thrust_n,
                sustain_time_s,
                sustain_propellant_kg,
                cd0_subsonic,
                cd0_supersonic,
                cn_max,
                induced_drag_factor,
                max_lateral_g,
                guidance_time_constant_s,
                nav_constant,
                loft_factor,
                launch_elevation_deg,
                max_flight_time_s,
                min_speed_mps,
                lethal_radius_m,
                pk,
            ]
            .map(f64::to_bits),
            augmented_pn,
            ground_ranges_m: bits(ground_ranges_m),
            altitudes_m: bits(altitudes_m),
            grid: [*dt_s, *reference_latitude_deg, *required_lateral_accel_mps2].map(f64::to_bits),
            edge_bisections: *edge_bisections,
            options: [
                launch_hold_s,
                pitch_over_time_constant_s,
                pitch_over_done_deg,
                pitch_over_max_s,
                terminal_time_to_go_s,
            ]
            .map(f64::to_bits),
            gravity_compensation,
        }
    }
}

/// The flyout table of a missile (fire control's time of flight and reach over ground range and
/// height), built once per distinct description in the process.
pub(super) fn flyout_table(m: &MissileSpec) -> Result<Arc<FlyoutTable>, InterceptorError> {
    static CACHE: OnceLock<Mutex<BTreeMap<FlyoutKey, Arc<FlyoutTable>>>> = OnceLock::new();
    let aero = m.aero();
    let spec = TableSpec::default_for(FLYOUT_TABLE_RANGE_FACTOR * m.max_range_m);
    let key = FlyoutKey::new(&aero, &spec);
    let cache = CACHE.get_or_init(Default::default);
    if let Some(t) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Ok(t);
    }
    let table = Arc::new(FlyoutTable::build(&aero, spec)?);
    if let Ok(mut c) = cache.lock() {
        c.insert(key, table.clone());
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    #[test]
    fn key_tells_apart_a_one_bit_change_and_matches_a_copy() {
        let s = Scenario::builtin_default();
        let m = s.missiles.values().next().expect("a missile");
        let aero = m.aero();
        let spec = TableSpec::default_for(m.max_range_m);
        let same = FlyoutKey::new(&aero.clone(), &spec.clone());
        assert_eq!(FlyoutKey::new(&aero, &spec), same);
        let nudged = MissileAero {
            pk: f64::from_bits(aero.pk.to_bits() + 1),
            ..aero
        };
        assert_ne!(FlyoutKey::new(&nudged, &spec), same);
        let mut wider = spec.clone();
        wider.edge_bisections += 1;
        assert_ne!(FlyoutKey::new(&aero, &wider), same);
    }
}
