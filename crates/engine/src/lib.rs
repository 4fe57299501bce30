//! # iadsim-engine
//!
//! Scenario language and the simulation loop.
#![deny(missing_docs)]

pub mod scenario;
