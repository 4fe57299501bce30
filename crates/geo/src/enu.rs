//! Local East-North-Up frames tangent to the WGS-84 ellipsoid.

use nalgebra::{Matrix3, Vector3};
use serde::{Deserialize, Serialize};

use crate::ellipsoid::{unit_normal, Ecef, Geodetic};

/// A position in a local East-North-Up frame, metres, relative to the origin of the
/// [`EnuFrame`] that produced it. The frame itself is not stored: keep an `Enu` next to the
/// `EnuFrame` that owns it and convert to [`Ecef`] before it leaves.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Enu(pub Vector3<f64>);

/// A local East-North-Up frame: origin on (or above) the ellipsoid, up along the ellipsoid normal
/// at the origin, north towards the pole in the meridian plane, east completing the right-handed
/// set.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EnuFrame {
    origin: Geodetic,
    origin_ecef: Ecef,
    /// Columns are the east, north and up unit vectors expressed in ECEF.
    enu_to_ecef: Matrix3<f64>,
}

impl EnuFrame {
    /// Builds the frame whose origin is `origin`.
    pub fn new(origin: Geodetic) -> EnuFrame {
        let (sin_lat, cos_lat) = origin.lat_rad.sin_cos();
        let (sin_lon, cos_lon) = origin.lon_rad.sin_cos();
        let east = Vector3::new(-sin_lon, cos_lon, 0.0);
        let north = Vector3::new(-sin_lat * cos_lon, -sin_lat * sin_lon, cos_lat);
        let up = unit_normal(sin_lat, cos_lat, sin_lon, cos_lon);
        EnuFrame {
            origin,
            origin_ecef: origin.to_ecef(),
            enu_to_ecef: Matrix3::from_columns(&[east, north, up]),
        }
    }

    /// The geodetic origin the frame was built from.
    pub fn origin(&self) -> Geodetic {
        self.origin
    }

    /// The origin in ECEF.
    pub fn origin_ecef(&self) -> Ecef {
        self.origin_ecef
    }

    /// The rotation that takes ENU components to ECEF components (columns: east, north, up unit
    /// vectors in ECEF). Its transpose is the inverse. Use it to rotate covariances:
    /// `P_ecef = R P_enu Rᵀ`.
    pub fn rotation_enu_to_ecef(&self) -> Matrix3<f64> {
        self.enu_to_ecef
    }

    /// Expresses an ECEF position in this frame.
    pub fn to_enu(&self, p: &Ecef) -> Enu {
        Enu(self.enu_to_ecef.transpose() * (p.0 - self.origin_ecef.0))
    }

    /// Expresses a position in this frame in ECEF.
    pub fn to_ecef(&self, p: &Enu) -> Ecef {
        Ecef(self.origin_ecef.0 + self.enu_to_ecef * p.0)
    }

    /// Rotates a free vector (velocity, acceleration, a displacement) from ECEF to ENU
    /// components; no translation.
    pub fn vector_to_enu(&self, v: &Vector3<f64>) -> Vector3<f64> {
        self.enu_to_ecef.transpose() * v
    }

    /// Rotates a free vector from ENU to ECEF components; no translation.
    pub fn vector_to_ecef(&self, v: &Vector3<f64>) -> Vector3<f64> {
        self.enu_to_ecef * v
    }
}
