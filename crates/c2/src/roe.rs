//! Rules of engagement: where the command post may fire, and at whom.
//!
//! * **Zones** ([`Zone`]): a *weapons-free* zone is an area where hostile and unknown tracks may be
//!   engaged; when a scenario defines at least one, an intercept must be predicted inside one of
//!   them. A *no-fire* zone is an area where no intercept may take place (debris over a city, a
//!   friendly air corridor). A zone is a circle (geodesic radius about a centre) or a polygon of
//!   latitude/longitude vertices; the polygon test is planar in degrees (even–odd rule), adequate
//!   for zones up to a few hundred kilometres away from the poles and the antimeridian.
//! * **Identification** ([`Identity`]): tracks identified as friendly (IFF) are never engaged.
//!   Whether a track is identified correctly is decided outside C2 (the engine draws it with the
//!   site's IFF probabilities), so that fratricide appears when identification fails.
use iadsim_geo::{inverse, Ecef, Geodetic};
use nalgebra::Vector3;
use serde::Serialize;

/// What a zone allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ZoneKind {
    /// Intercepts allowed (if any such zone exists, intercepts must fall in one).
    WeaponsFree,
    /// No intercept may fall here.
    NoFire,
}

/// The area of a zone.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ZoneShape {
    /// Everything within `radius_m` (geodesic) of the centre.
    Circle {
        /// Centre latitude, deg.
        lat_deg: f64,
        /// Centre longitude, deg.
        lon_deg: f64,
        /// Radius, m.
        radius_m: f64,
    },
    /// A polygon of `[lat_deg, lon_deg]` vertices (closed implicitly).
    Polygon {
        /// Vertices.
        vertices_deg: Vec<[f64; 2]>,
    },
}

/// A named zone with its altitude band.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Zone {
    /// Name (for the event log).
    pub name: String,
    /// What it allows.
    pub kind: ZoneKind,
    /// Its area.
    pub shape: ZoneShape,
    /// Lowest altitude it applies to, m.
    pub min_altitude_m: f64,
    /// Highest altitude it applies to, m.
    pub max_altitude_m: f64,
}

impl Zone {
    /// Whether a geodetic point lies inside the zone (area and altitude band).
    pub fn contains(&self, at: &Geodetic) -> bool {
        if at.alt_m < self.min_altitude_m || at.alt_m > self.max_altitude_m {
            return false;
        }
        let (lat, lon) = (at.lat_deg(), at.lon_deg());
        match &self.shape {
            ZoneShape::Circle {
                lat_deg,
                lon_deg,
                radius_m,
            } => inverse(*lat_deg, *lon_deg, lat, lon).is_ok_and(|g| g.distance_m <= *radius_m),
            ZoneShape::Polygon { vertices_deg } => point_in_polygon(lat, lon, vertices_deg),
        }
    }
}

/// Even–odd ray casting in the (lon, lat) plane.
pub fn point_in_polygon(lat: f64, lon: f64, vertices: &[[f64; 2]]) -> bool {
    let n = vertices.len();
    if n < 3 {
        return false;
    }
    let mut inside = false;
    let mut j = n - 1;
    for i in 0..n {
        let (yi, xi) = (vertices[i][0], vertices[i][1]);
        let (yj, xj) = (vertices[j][0], vertices[j][1]);
        if (yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

/// How C2 has identified a track.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Identity {
    /// No friendly IFF reply: treated as hostile.
    #[default]
    Unknown,
    /// Identified friendly: hold fire.
    Friend,
}

/// The rules of engagement of a command post.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Roe {
    /// Zones.
    pub zones: Vec<Zone>,
}

/// Why the ROE forbid an intercept point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum RoeViolation {
    /// The point is in a no-fire zone.
    NoFireZone {
        /// The zone.
        zone: String,
    },
    /// Weapons-free zones exist and the point is in none of them.
    OutsideWeaponsFree,
}

impl Roe {
    /// Whether an intercept at `point_ecef_m` is allowed, and if not, why.
    pub fn check_intercept(&self, point_ecef_m: &Vector3<f64>) -> Result<(), RoeViolation> {
        if self.zones.is_empty() {
            return Ok(());
        }
        let at = Ecef(*point_ecef_m).to_geodetic();
        if let Some(z) = self
            .zones
            .iter()
            .find(|z| z.kind == ZoneKind::NoFire && z.contains(&at))
        {
            return Err(RoeViolation::NoFireZone {
                zone: z.name.clone(),
            });
        }
        let mut free = self
            .zones
            .iter()
            .filter(|z| z.kind == ZoneKind::WeaponsFree)
            .peekable();
        if free.peek().is_some() && !free.any(|z| z.contains(&at)) {
            return Err(RoeViolation::OutsideWeaponsFree);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(kind: ZoneKind, shape: ZoneShape) -> Zone {
        Zone {
            name: "z".into(),
            kind,
            shape,
            min_altitude_m: 0.0,
            max_altitude_m: 1e5,
        }
    }

    #[test]
    fn polygon_and_circle_membership() {
        let square = vec![[33.0, 44.0], [33.0, 45.0], [34.0, 45.0], [34.0, 44.0]];
        assert!(point_in_polygon(33.5, 44.5, &square));
        assert!(!point_in_polygon(34.5, 44.5, &square));
        assert!(!point_in_polygon(33.5, 43.9, &square));
        let c = zone(
            ZoneKind::NoFire,
            ZoneShape::Circle {
                lat_deg: 33.3,
                lon_deg: 44.4,
                radius_m: 10_000.0,
            },
        );
        assert!(c.contains(&Geodetic::from_degrees(33.35, 44.4, 1000.0)));
        assert!(!c.contains(&Geodetic::from_degrees(33.45, 44.4, 1000.0)));
        // Outside the altitude band.
        assert!(!c.contains(&Geodetic::from_degrees(33.3, 44.4, 2e5)));
    }

    #[test]
    fn no_fire_wins_and_weapons_free_restricts() {
        let here = Geodetic::from_degrees(33.3, 44.4, 5000.0).to_ecef().0;
        let there = Geodetic::from_degrees(33.3, 43.0, 5000.0).to_ecef().0;
        let mut roe = Roe::default();
        assert!(roe.check_intercept(&here).is_ok());
        roe.zones.push(zone(
            ZoneKind::WeaponsFree,
            ZoneShape::Polygon {
                vertices_deg: vec![[32.0, 42.0], [32.0, 44.0], [35.0, 44.0], [35.0, 42.0]],
            },
        ));
        assert_eq!(
            roe.check_intercept(&here),
            Err(RoeViolation::OutsideWeaponsFree)
        );
        assert!(roe.check_intercept(&there).is_ok());
        roe.zones.push(zone(
            ZoneKind::NoFire,
            ZoneShape::Circle {
                lat_deg: 33.3,
                lon_deg: 43.0,
                radius_m: 5_000.0,
            },
        ));
        assert!(matches!(
            roe.check_intercept(&there),
            Err(RoeViolation::NoFireZone { .. })
        ));
    }
}
