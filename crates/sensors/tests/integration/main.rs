//! Integration tests of iadsim-sensors.
mod detection;
mod validation;
