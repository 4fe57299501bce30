//! A site's firing doctrine (`doctrine = { … }`). A new doctrine field is a line in
//! [`DoctrineEntry`], [`Doctrine`], [`doctrine`] and [`written`].
use super::{missile_counts, optional, spanless, spanless_counts, Reporter, Resolved};
use crate::scenario::file::DoctrineEntry;
use crate::scenario::model::Doctrine;
use crate::scenario::spec::{Limit, MissileSpec};
use std::collections::BTreeMap;

/// Probability that IFF identifies a friendly as friendly, when the scenario does not say.
/// ASSUMPTION (docs/assumptions.md): no public figure for either system.
pub const DEFAULT_IFF_P_CORRECT: f64 = 0.95;
/// Missiles per engagement when the scenario does not say.
const DEFAULT_SALVO: u32 = 2;
/// Look after a salvo, s, when the scenario does not say: longer than the slowest rotating
/// radar's revisit.
const DEFAULT_KILL_ASSESSMENT_S: f64 = 12.0;

/// The doctrine of a site; `context` names the site.
pub(super) fn doctrine(
    d: &DoctrineEntry,
    missiles: &BTreeMap<String, MissileSpec>,
    context: &str,
    rep: &mut Reporter<'_>,
) -> Resolved<Doctrine, DoctrineEntry> {
    let model = Doctrine {
        salvo: optional(
            rep,
            &d.salvo,
            DEFAULT_SALVO,
            context,
            "salvo",
            Limit::closed(1.0, 8.0, ""),
        ),
        kill_assessment_s: optional(
            rep,
            &d.kill_assessment_s,
            DEFAULT_KILL_ASSESSMENT_S,
            context,
            "kill_assessment_s",
            Limit::closed(0.0, 600.0, "s"),
        ),
        reserve: missile_counts(rep, d.reserve.as_ref(), missiles, context, "reserve"),
        iff_p_correct: optional(
            rep,
            &d.iff_p_correct,
            DEFAULT_IFF_P_CORRECT,
            context,
            "iff_p_correct",
            Limit::closed(0.0, 1.0, ""),
        ),
        solver: d.solver.as_ref().map(|s| *s.get_ref()).unwrap_or_default(),
    };
    let written = written(&model);
    Resolved { model, written }
}

/// The doctrine as the resolved file writes it.
fn written(d: &Doctrine) -> DoctrineEntry {
    DoctrineEntry {
        salvo: spanless(d.salvo),
        kill_assessment_s: spanless(d.kill_assessment_s),
        reserve: spanless_counts(&d.reserve),
        iff_p_correct: spanless(d.iff_p_correct),
        solver: spanless(d.solver),
    }
}
