//! Typed identifiers. Each wraps a small integer assigned in a deterministic order (scenario order
//! or creation order), never a hash or an address.
use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub u32);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($prefix, "{}"), self.0)
            }
        }
    };
}

id_type!(
    /// A simulated air target (truth side only).
    TargetId, "T"
);
id_type!(
    /// A track held by a tracker.
    TrackId, "K"
);
id_type!(
    /// A radar (unique across the scenario).
    SensorId, "R"
);
id_type!(
    /// An air-defence site (battalion / battery).
    SiteId, "S"
);
id_type!(
    /// A launcher (unique across the scenario).
    LauncherId, "L"
);
id_type!(
    /// An interceptor missile in flight (unique across the run, in launch order).
    InterceptorId, "M"
);
id_type!(
    /// A defended asset.
    AssetId, "A"
);
