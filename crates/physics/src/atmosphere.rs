//! The standard atmosphere: US Standard Atmosphere 1976 (= ICAO ISA) to 86 km geometric.
//!
//! Source: *U.S. Standard Atmosphere, 1976*, NOAA-S/T 76-1562 (NOAA, NASA, USAF, 1976), part 1,
//! equations 18 (geopotential height), 23 and 33a/b (temperature and pressure in layers with a
//! linear molecular-scale temperature), 42 (density) and 50 (speed of sound); table 4 (the seven
//! layers). The ICAO Standard Atmosphere (Doc 7488, 3rd ed. 1993) uses the same constants and
//! layers to 80 km geopotential.
//!
//! * **Heights**: the input is a geometric height `z` above the ellipsoid (the flight model passes
//!   the WGS-84 ellipsoidal height; the geoid separation, tens of metres, is ignored). It is
//!   turned into geopotential height `H = r₀ z / (r₀ + z)`, `r₀ = 6 356 766 m`.
//! * **Layers** (geopotential base height, lapse rate `L = dT/dH`): 0 km −6.5 K/km, 11 km 0,
//!   20 km +1.0, 32 km +2.8, 47 km 0, 51 km −2.8, 71 km −2.0 up to 84.852 km (86 km geometric).
//!   The base pressures are computed from the defining equations starting at 101 325 Pa
//!   (as US76 does; they reproduce its table 4, e.g. 22 632.06 Pa at 11 km, to within 1e-5:
//!   the two standards' gas constants differ by 7e-7, see [`M0_KG_PER_KMOL`]).
//! * **Below 0 km** the first layer is continued down (ICAO defines it to −5 km).
//! * **Above 86 km** (the end of US76's first part) the atmosphere is continued isothermally at the
//!   86 km molecular-scale temperature, 186.946 K. That matches US76's kinetic temperature to
//!   91 km and its density to 3.4 % at 100 km (5.80e-7 against 5.60e-7 kg/m³); above, the
//!   density falls off far faster than reality but is then negligible for a missile.
//!   Above [`ZERO_DENSITY_ALTITUDE_M`] pressure and density are exactly zero.
//! * **Temperature** is the molecular-scale temperature `T_M`, which is the kinetic temperature
//!   below 80 km; between 80 and 86 km US76's kinetic temperature is lower by at most 0.04 %
//!   (the molecular-weight correction), irrelevant here.
use serde::{Deserialize, Serialize};

/// Standard gravity g₀, m/s² (US76 table 2; exact by definition). Also used by the crate to turn
/// g limits into m/s².
pub const G0_MPS2: f64 = 9.80665;
/// Effective earth radius of the geopotential-height conversion r₀, m (US76 eq. 18).
pub const R0_GEOPOTENTIAL_M: f64 = 6_356_766.0;
/// Universal gas constant R*, J/(kmol·K) (US76 table 2 and ICAO Doc 7488 table A: 8314.32).
pub const R_STAR: f64 = 8_314.32;
/// Sea-level mean molar mass of air M₀, kg/kmol, as ICAO Doc 7488 (1993) table A gives it
/// (28.964420); US76 table 2 rounds it to 28.9644, which makes its R larger by 7.0e-7 relative.
/// We follow ICAO, whose `R = 287.05287` is the value quoted for the ISA.
pub const M0_KG_PER_KMOL: f64 = 28.964_420;
/// Specific gas constant of air, J/(kg·K): 287.05287 as ICAO Doc 7488 table A lists it (the
/// rounded `R*/M₀ = 287.0528738`; the 1.3e-8 difference is far below any use here).
pub const R_AIR: f64 = 287.052_87;
/// Ratio of specific heats γ of air (US76 eq. 50).
pub const GAMMA_AIR: f64 = 1.4;
/// Sea-level pressure, Pa (US76 table 2).
pub const P0_PA: f64 = 101_325.0;
/// Sea-level temperature, K (US76 table 2).
pub const T0_K: f64 = 288.15;
/// Geometric height above which pressure and density are returned as exactly zero, m. The
/// isothermal continuation gives below 1e-13 kg/m³ there; the cut keeps `exp` away from
/// subnormal numbers.
pub const ZERO_DENSITY_ALTITUDE_M: f64 = 300_000.0;

/// Geopotential base heights (m) and lapse rates (K/m) of the seven US76 layers; the last entry
/// of `LAYER_BASES_M` is the top of the model (84.852 km geopotential = 86 km geometric).
const LAYER_BASES_M: [f64; 8] = [
    0.0, 11_000.0, 20_000.0, 32_000.0, 47_000.0, 51_000.0, 71_000.0, 84_852.0,
];
const LAPSE_K_PER_M: [f64; 7] = [-6.5e-3, 0.0, 1.0e-3, 2.8e-3, 0.0, -2.8e-3, -2.0e-3];

/// The state of the standard atmosphere at one height.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Atmosphere {
    /// Geopotential height, m.
    pub geopotential_height_m: f64,
    /// (Molecular-scale) temperature, K.
    pub temperature_k: f64,
    /// Pressure, Pa.
    pub pressure_pa: f64,
    /// Density, kg/m³.
    pub density_kg_m3: f64,
    /// Speed of sound `√(γ R T)`, m/s.
    pub speed_of_sound_mps: f64,
}

/// Base temperatures (K) and pressures (Pa) of the layers, from the defining equations.
struct Bases {
    t: [f64; 8],
    p: [f64; 8],
}

fn bases() -> &'static Bases {
    static BASES: std::sync::OnceLock<Bases> = std::sync::OnceLock::new();
    BASES.get_or_init(|| {
        let mut t = [T0_K; 8];
        let mut p = [P0_PA; 8];
        for i in 0..7 {
            let dh = LAYER_BASES_M[i + 1] - LAYER_BASES_M[i];
            let (ti, pi) = layer_state(t[i], p[i], LAPSE_K_PER_M[i], dh);
            t[i + 1] = ti;
            p[i + 1] = pi;
        }
        Bases { t, p }
    })
}

/// Temperature and pressure `dh` metres (geopotential) above a layer base at `(t_b, p_b)` with
/// lapse rate `lapse` (US76 eqs. 23, 33a, 33b).
fn layer_state(t_b: f64, p_b: f64, lapse: f64, dh: f64) -> (f64, f64) {
    if lapse == 0.0 {
        (t_b, p_b * (-G0_MPS2 * dh / (R_AIR * t_b)).exp())
    } else {
        let t = t_b + lapse * dh;
        (t, p_b * (t / t_b).powf(-G0_MPS2 / (R_AIR * lapse)))
    }
}

/// Geopotential height (m) of a geometric height `z_m` (m), US76 eq. 18.
pub fn geopotential_height_m(z_m: f64) -> f64 {
    R0_GEOPOTENTIAL_M * z_m / (R0_GEOPOTENTIAL_M + z_m)
}

/// The standard atmosphere at geometric height `z_m` (m above the ellipsoid, see the module doc
/// for the extrapolations below 0 and above 86 km). A NaN height gives NaN fields.
pub fn isa(z_m: f64) -> Atmosphere {
    let h = geopotential_height_m(z_m);
    let b = bases();
    // Layer index: the last base at or below h (the first layer is continued downwards).
    let i = LAYER_BASES_M[1..7]
        .iter()
        .take_while(|&&base| h >= base)
        .count();
    let (t, p) = if h >= LAYER_BASES_M[7] {
        // Isothermal continuation of the top of the model.
        layer_state(b.t[7], b.p[7], 0.0, h - LAYER_BASES_M[7])
    } else {
        layer_state(b.t[i], b.p[i], LAPSE_K_PER_M[i], h - LAYER_BASES_M[i])
    };
    let (p, rho) = if z_m > ZERO_DENSITY_ALTITUDE_M {
        (0.0, 0.0)
    } else {
        (p, p / (R_AIR * t))
    };
    Atmosphere {
        geopotential_height_m: h,
        temperature_k: t,
        pressure_pa: p,
        density_kg_m3: rho,
        speed_of_sound_mps: (GAMMA_AIR * R_AIR * t).sqrt(),
    }
}

/// The base pressures of the seven layers and of the top of the model (84.852 km
/// geopotential), Pa, as computed from the defining equations (for tests and docs).
pub fn layer_base_pressures_pa() -> [f64; 8] {
    bases().p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sea_level_is_the_standard() {
        let a = isa(0.0);
        assert_eq!(a.temperature_k, 288.15);
        assert_eq!(a.pressure_pa, 101_325.0);
        // US76 table 2: ρ₀ = 1.2250 kg/m³, a₀ = 340.294 m/s.
        assert!((a.density_kg_m3 - 1.2250).abs() < 5e-5);
        assert!((a.speed_of_sound_mps - 340.294).abs() < 5e-4);
    }

    #[test]
    fn continuous_across_the_top_and_zero_far_above() {
        let z86 = R0_GEOPOTENTIAL_M * 84_852.0 / (R0_GEOPOTENTIAL_M - 84_852.0);
        let (lo, hi) = (isa(z86 - 1e-6), isa(z86 + 1e-6));
        assert!((lo.pressure_pa / hi.pressure_pa - 1.0).abs() < 1e-9);
        assert!((lo.temperature_k - hi.temperature_k).abs() < 1e-6);
        assert_eq!(isa(400_000.0).density_kg_m3, 0.0);
        assert!(isa(100_000.0).density_kg_m3 < 1e-6);
    }
}
