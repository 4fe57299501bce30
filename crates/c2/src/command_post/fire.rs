//! Steps 4 and 5 of a cycle: solve the cycle's weapon-target assignment over the candidate shots
//! (values = threat scores, at most a salvo per target, within the free channels; solver chosen
//! by doctrine), then turn it into fire orders, booked at once (rounds, launch times, channels,
//! engagements).
use super::bookkeeping::Engagement;
use super::candidates::Round;
use super::CommandPost;
use crate::decision::{Decision, FireOrder, HoldReason, Shot};
use crate::wta::{solve_cycle, CycleAssignment, CycleProblem};
use iadsim_core::{SimTime, TrackId};
use std::collections::BTreeMap;

impl CommandPost {
    /// Solves the cycle's assignment over the candidates of `round` with the doctrine's solver
    /// (`None` without candidates).
    pub(super) fn assign(&self, round: &Round) -> Option<CycleAssignment> {
        if round.candidates.is_empty() {
            return None;
        }
        Some(solve_cycle(&self.cycle_problem(round), self.solver))
    }

    /// Books and returns the fire orders of the assignment `sol` of `round`, logs it
    /// ([`Decision::Assignment`], when it fires) and holds the candidates it left out
    /// ([`HoldReason::NotAssigned`]).
    pub(super) fn fire(
        &mut self,
        now: SimTime,
        round: &mut Round,
        sol: &CycleAssignment,
        decisions: &mut Vec<Decision>,
    ) -> Vec<FireOrder> {
        let (orders, shots) = self.book_orders(now, round, sol);
        let mut fired: BTreeMap<TrackId, u32> = BTreeMap::new();
        for order in &orders {
            *fired.entry(order.track).or_insert(0) += 1;
        }
        for (threat, _) in &round.candidates {
            if !fired.contains_key(&threat.track) {
                round.holds.push((threat.track, HoldReason::NotAssigned));
            }
        }
        for (&track, &n) in &fired {
            self.missiles_in_flight += n;
            self.engagements
                .insert(track, Engagement::UnderFire { in_flight: n });
            self.last_hold.remove(&track);
        }
        if !shots.is_empty() {
            decisions.push(Decision::Assignment {
                weapons: round.weapons.len() as u32,
                targets: round.candidates.len() as u32,
                objective: sol.objective,
                objective_if_idle: sol.objective_if_idle,
                lower_bound: sol.lower_bound,
                optimal: sol.optimal,
                nodes: sol.nodes,
                shots,
            });
        }
        orders
    }

    /// The assignment problem of `round`: `p[w][j]` is the planning Pk of weapon `w`'s shot at
    /// candidate `j` (0 without one).
    fn cycle_problem(&self, round: &Round) -> CycleProblem {
        CycleProblem {
            values: round.candidates.iter().map(|(t, _)| t.score).collect(),
            p: (0..round.weapons.len())
                .map(|w| {
                    round
                        .candidates
                        .iter()
                        .map(|(_, shots)| shots[w].as_ref().map_or(0.0, |(_, s)| s.pk))
                        .collect()
                })
                .collect(),
            max_per_target: self.config.salvo,
            max_weapons: round.free_guidance,
            max_targets: round.free_targets,
        }
    }

    /// The fire orders of the assignment `sol`, with the launchers' rounds and launch times
    /// booked, and the shots to log.
    fn book_orders(
        &mut self,
        now: SimTime,
        round: &Round,
        sol: &CycleAssignment,
    ) -> (Vec<FireOrder>, Vec<Shot>) {
        let (mut orders, mut shots) = (Vec::new(), Vec::new());
        for (w, target) in sol.target_of.iter().enumerate() {
            let Some(j) = *target else { continue };
            let (threat, candidate_shots) = &round.candidates[j];
            let Some((missile, solution)) = candidate_shots[w].clone() else {
                continue;
            };
            let fu = &mut self.fire_units[round.weapons[w]];
            if let Some(n) = fu.rounds.get_mut(&missile) {
                *n -= 1;
            }
            fu.last_launch = Some(now);
            shots.push(Shot {
                launcher: fu.launcher,
                missile: missile.clone(),
                track: threat.track,
                pk: solution.pk,
            });
            orders.push(FireOrder {
                launcher: fu.launcher,
                missile,
                track: threat.track,
                solution,
                threat: *threat,
            });
        }
        (orders, shots)
    }
}
