//! Integration tests of iadsim-engine: scenario validation, physics invariants, determinism.
mod properties;
mod scenario_errors;
