//! Integration tests of iadsim-track, one binary (see STYLE.md): `validation` against external
//! references and statistics, `properties` (invariants), `scenarios` (multi-target runs),
//! `config`, `trackers` (every estimator and the configuration file), `firewall` (no
//! dependency on truth or simulation crates).
mod clutter;
mod common;
mod config;
mod filters;
mod firewall;
mod jpda;
mod metrics;
mod properties;
mod scenarios;
mod trackers;
mod validation;
