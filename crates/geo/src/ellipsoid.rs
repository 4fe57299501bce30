//! WGS-84 geodetic and Earth-centred Earth-fixed (ECEF) positions.

use nalgebra::Vector3;
use serde::{Deserialize, Serialize};

/// WGS-84 semi-major axis (equatorial radius), metres.
///
/// Source: NIMA TR8350.2, "Department of Defense World Geodetic System 1984", 3rd ed. (2000),
/// table 3.1 (defining parameter `a`). Exact by definition.
pub const WGS84_A_M: f64 = 6378137.0;

/// WGS-84 flattening `f = (a − b)/a`, dimensionless.
///
/// Source: NIMA TR8350.2, 3rd ed. (2000), table 3.1 (defining parameter `1/f = 298.257223563`).
/// Exact by definition.
pub const WGS84_F: f64 = 1.0 / 298.257223563;

/// WGS-84 first eccentricity squared `e² = f (2 − f)`, derived from [`WGS84_F`]
/// (NIMA TR8350.2 table 3.3 lists 6.69437999014e-3).
pub const WGS84_E2: f64 = WGS84_F * (2.0 - WGS84_F);

/// WGS-84 semi-minor axis (polar radius) `b = a (1 − f)`, metres, derived
/// (NIMA TR8350.2 table 3.3 lists 6356752.3142 m).
pub const WGS84_B_M: f64 = WGS84_A_M * (1.0 - WGS84_F);

/// A WGS-84 geodetic position: latitude and longitude of the ellipsoid normal through the point,
/// and height above the ellipsoid along that normal (not above the geoid or mean sea level).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Geodetic {
    /// Geodetic latitude, radians, positive north, in `[−π/2, π/2]`.
    pub lat_rad: f64,
    /// Longitude, radians, positive east (any value; not normalised).
    pub lon_rad: f64,
    /// Height above the WGS-84 ellipsoid, metres.
    pub alt_m: f64,
}

impl Geodetic {
    /// Builds a position from latitude and longitude in degrees and height above the ellipsoid in
    /// metres.
    ///
    /// ```
    /// let baghdad = iadsim_geo::Geodetic::from_degrees(33.3, 44.4, 40.0);
    /// assert!((baghdad.lat_deg() - 33.3).abs() < 1e-12);
    /// ```
    pub fn from_degrees(lat_deg: f64, lon_deg: f64, alt_m: f64) -> Geodetic {
        Geodetic {
            lat_rad: lat_deg.to_radians(),
            lon_rad: lon_deg.to_radians(),
            alt_m,
        }
    }

    /// Latitude in degrees.
    pub fn lat_deg(&self) -> f64 {
        self.lat_rad.to_degrees()
    }

    /// Longitude in degrees.
    pub fn lon_deg(&self) -> f64 {
        self.lon_rad.to_degrees()
    }

    /// The outward unit normal of the ellipsoid at this latitude and longitude ("up"), ECEF:
    /// `(cos φ cos λ, cos φ sin λ, sin φ)`. From an ECEF position, [`Ecef::height_and_up`] gives
    /// the same vector without trigonometry.
    pub fn up(&self) -> Vector3<f64> {
        let (sin_lat, cos_lat) = self.lat_rad.sin_cos();
        let (sin_lon, cos_lon) = self.lon_rad.sin_cos();
        unit_normal(sin_lat, cos_lat, sin_lon, cos_lon)
    }

    /// Converts to ECEF with the closed-form expressions (exact, no iteration)
    ///
    /// `N = a / √(1 − e² sin²φ)`, `x = (N + h) cos φ cos λ`, `y = (N + h) cos φ sin λ`,
    /// `z = (N (1 − e²) + h) sin φ` (NIMA TR8350.2, eq. 4-14).
    pub fn to_ecef(&self) -> Ecef {
        let (sin_lat, cos_lat) = self.lat_rad.sin_cos();
        let (sin_lon, cos_lon) = self.lon_rad.sin_cos();
        let n = WGS84_A_M / (1.0 - WGS84_E2 * sin_lat * sin_lat).sqrt();
        Ecef(Vector3::new(
            (n + self.alt_m) * cos_lat * cos_lon,
            (n + self.alt_m) * cos_lat * sin_lon,
            (n * (1.0 - WGS84_E2) + self.alt_m) * sin_lat,
        ))
    }
}

/// The ellipsoid normal `(cos φ cos λ, cos φ sin λ, sin φ)` of geodetic latitude `φ` and
/// longitude `λ`, from their sines and cosines: the one formula behind [`Geodetic::up`],
/// [`Ecef::height_and_up`] and the up axis of [`crate::EnuFrame`].
pub(crate) fn unit_normal(sin_lat: f64, cos_lat: f64, sin_lon: f64, cos_lon: f64) -> Vector3<f64> {
    Vector3::new(cos_lat * cos_lon, cos_lat * sin_lon, sin_lat)
}

/// Meridian and prime-vertical radii of curvature `(M, N)` of the WGS-84 ellipsoid at geodetic
/// latitude `lat_rad`, metres: with `W² = 1 − e² sin²φ`, `M = a (1 − e²) / W³` and `N = a / W`
/// (`N` is the `N(φ)` of [`Geodetic::to_ecef`]). `M` is the radius of the meridian (north-south)
/// section, `N` that of the prime vertical (east-west) section: on the ellipsoid a metre north is
/// `1/M` radian of latitude, a metre east `1/(N cos φ)` radian of longitude.
pub fn radii_of_curvature(lat_rad: f64) -> (f64, f64) {
    let sin_lat = lat_rad.sin();
    let w2 = 1.0 - WGS84_E2 * sin_lat * sin_lat;
    let w = w2.sqrt();
    (WGS84_A_M * (1.0 - WGS84_E2) / (w2 * w), WGS84_A_M / w)
}

/// A position in the WGS-84 Earth-centred Earth-fixed frame, metres: x towards (0° N, 0° E),
/// z towards the north pole, y completing the right-handed set.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Ecef(pub Vector3<f64>);

impl Ecef {
    /// Converts to geodetic coordinates with the exact closed-form method of
    /// H. Vermeille (2011), "An analytical method to transform geocentric into geodetic
    /// coordinates", *Journal of Geodesy* 85:105–117, doi:10.1007/s00190-010-0419-x.
    ///
    /// No iteration and no altitude limit: the result is accurate to rounding (≪ 1 mm) from deep
    /// below the surface to far beyond geostationary orbit. With `p = (x² + y²)/a²`,
    /// `q = (1 − e²) z²/a²`, `r = (p + q − e⁴)/6`:
    ///
    /// * outside the evolute of the meridian ellipse (`8r³ + e⁴pq > 0`, which holds for every
    ///   point more than about 43 km from the Earth's centre):
    ///   `u = r + ½ ∛(√(8r³ + e⁴pq) + √(e⁴pq))² + ½ ∛(√(8r³ + e⁴pq) − √(e⁴pq))²`;
    /// * inside it: `u = −4r sin(⅔ψ) cos(π/6 + ⅔ψ)` with
    ///   `ψ = atan2(√(e⁴pq), √(−(8r³ + e⁴pq)) + √(−8r³))`;
    ///
    /// then `v = √(u² + e⁴q)`, `w = e²(u + v − q)/(2v)`, `k = (u + v)/(√(w² + u + v) + w)`,
    /// `D = k √(x² + y²)/(k + e²)`, `φ = 2 atan2(z, D + √(D² + z²))`,
    /// `h = (k + e² − 1)/k · √(D² + z²)`, `λ = atan2(y, x)`.
    ///
    /// On the polar axis the longitude is returned as 0 (it is undefined there). At the Earth's
    /// centre itself the latitude is undefined and the result is NaN.
    pub fn to_geodetic(&self) -> Geodetic {
        let v = self.vermeille();
        Geodetic {
            lat_rad: 2.0 * v.z.atan2(v.d + v.dz),
            lon_rad: self.0.y.atan2(self.0.x),
            alt_m: v.alt_m(),
        }
    }

    /// Height above the ellipsoid and the outward unit normal through the point ("up"), ECEF:
    /// what [`Ecef::to_geodetic`] and the normal `(cos φ cos λ, cos φ sin λ, sin φ)` give, without
    /// the trigonometry. From the same construction: `cos φ = D/√(D² + z²)`,
    /// `sin φ = z/√(D² + z²)` (since `φ = 2 atan2(z, D + √(D² + z²)) = atan2(z, D)`, `D ≥ 0`), and
    /// `cos λ = x/ρ`, `sin λ = y/ρ` (`λ = 0` on the polar axis, as there).
    pub fn height_and_up(&self) -> (f64, Vector3<f64>) {
        let v = self.vermeille();
        let (cos_lat, sin_lat) = (v.d / v.dz, v.z / v.dz);
        let (cos_lon, sin_lon) = if v.rho > 0.0 {
            (self.0.x / v.rho, self.0.y / v.rho)
        } else {
            (1.0, 0.0)
        };
        (v.alt_m(), unit_normal(sin_lat, cos_lat, sin_lon, cos_lon))
    }

    /// The quantities of Vermeille's construction that both conversions use.
    #[allow(non_snake_case)]
    fn vermeille(&self) -> Vermeille {
        let (x, y, z) = (self.0.x, self.0.y, self.0.z);
        let a = WGS84_A_M;
        let e2 = WGS84_E2;
        let e4 = e2 * e2;
        let rho = x.hypot(y);
        let p = (rho / a) * (rho / a);
        let q = (1.0 - e2) * (z / a) * (z / a);
        let r = (p + q - e4) / 6.0;
        let e4pq = e4 * p * q;
        let r3_8 = 8.0 * r * r * r;
        let evolute = r3_8 + e4pq;
        let u = if evolute > 0.0 {
            let s = evolute.sqrt();
            let t = e4pq.sqrt();
            r + 0.5 * ((s + t) * (s + t)).cbrt() + 0.5 * ((s - t) * (s - t)).cbrt()
        } else {
            let psi = e4pq.sqrt().atan2((-evolute).sqrt() + (-r3_8).sqrt());
            let two_thirds = 2.0 * psi / 3.0;
            -4.0 * r * two_thirds.sin() * (std::f64::consts::FRAC_PI_6 + two_thirds).cos()
        };
        let v = (u * u + e4 * q).sqrt();
        let w = e2 * (u + v - q) / (2.0 * v);
        let k = (u + v) / ((w * w + u + v).sqrt() + w);
        let D = k * rho / (k + e2);
        Vermeille {
            rho,
            z,
            d: D,
            dz: D.hypot(z),
            k,
        }
    }
}

/// Intermediate results of [`Ecef::to_geodetic`]: `ρ = √(x² + y²)`, `z`, `D`, `√(D² + z²)`, `k`.
struct Vermeille {
    rho: f64,
    z: f64,
    d: f64,
    dz: f64,
    k: f64,
}

impl Vermeille {
    fn alt_m(&self) -> f64 {
        (self.k + WGS84_E2 - 1.0) / self.k * self.dz
    }
}
