//! Integration tests of iadsim-track, one binary (see STYLE.md): `validation` against external
//! references and statistics, `properties` (invariants), `scenarios` (multi-target runs),
//! `config`, `trackers` (every estimator and the configuration file).
mod clutter;
mod common;
mod config;
mod filters;
mod jpda;
mod metrics;
mod properties;
mod scenarios;
mod trackers;
mod validation;
