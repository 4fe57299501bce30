//! The stages of one tick, one module each, in the order [`crate::pipeline`] runs them:
//! [`engagement`] (interceptors fly, intercepts and kill draws) → [`motion`] (targets enter) →
//! [`leaks`] → [`sensing`] (a radar dwell → plots) → [`tracking`] (plots → the site's tracks) →
//! [`command`] (tracks → fire orders) → [`launch`] (fire orders → interceptors in the air).
//!
//! Each module has one entry function, takes the state it needs and reports what happened to
//! the [`crate::record::Recorders`]; none reads another's output except through its arguments.
pub(crate) mod command;
pub(crate) mod engagement;
pub(crate) mod launch;
pub(crate) mod leaks;
pub(crate) mod motion;
pub(crate) mod sensing;
pub(crate) mod tracking;
