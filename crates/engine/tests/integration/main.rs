//! Integration tests of iadsim-engine: scenario validation, physics invariants, determinism.
mod scenario_errors;
