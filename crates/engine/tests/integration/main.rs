//! Integration tests of iadsim-engine: scenario validation, physics invariants, determinism.
mod architecture;
mod c2_loop;
mod properties;
mod recorders;
mod scenario_errors;
