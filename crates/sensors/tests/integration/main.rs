//! Integration tests of iadsim-sensors.
mod validation;
