//! `[[site]]`: an air-defence site with its command post and tracker; radars, launchers and
//! doctrine have their own modules.
use super::{
    doctrine, from_preset, launchers, missile_counts, position, radars, spanless, spanless_counts,
    unzip, Reporter, Resolved,
};
use crate::scenario::file::SiteEntry;
use crate::scenario::model::Site;
use crate::scenario::presets::Presets;
use crate::scenario::spec::MissileSpec;
use iadsim_track::TrackerFileConfig;
use serde_spanned::Spanned;
use std::collections::BTreeMap;

/// One site; `None` when its command post preset is unknown (after every check of the site).
pub(super) fn site(
    s: &SiteEntry,
    presets: &Presets,
    missiles: &BTreeMap<String, MissileSpec>,
    rep: &mut Reporter<'_>,
) -> Option<Resolved<Site, SiteEntry>> {
    let context = format!("site \"{}\": ", s.name);
    let position = position(rep, &s.position, &context);
    let command_post = from_preset(
        &s.command_post,
        &presets.command_posts,
        "command post",
        &context,
        rep,
    );
    let radars = s
        .radars
        .iter()
        .filter_map(|r| radars::radar(r, &presets.radars, &context, rep))
        .collect();
    if s.radars.is_empty() {
        rep.error(
            s.position.lat_deg.span(),
            format!("{context}the site has no radar"),
            None,
            Some("add `radars = [{ preset = \"92N6E\" }]` or another radar".into()),
        );
    }
    let launchers = s
        .launchers
        .iter()
        .filter_map(|l| launchers::launcher(l, &presets.launchers, missiles, &context, rep))
        .collect();
    let doctrine = doctrine::doctrine(&s.doctrine, missiles, &context, rep);
    let reload_stock = missile_counts(rep, s.reloads.as_ref(), missiles, &context, "reloads");
    let tracker = tracker(s.tracker.as_ref(), &context, rep);
    let command_post = command_post?;
    let (radars, radar_entries) = unzip(radars);
    let (launchers, launcher_entries): (Vec<Vec<_>>, _) = unzip(launchers);
    let written = SiteEntry {
        name: s.name.clone(),
        position: s.position.clone(),
        command_post: command_post.written,
        radars: radar_entries,
        launchers: launcher_entries,
        doctrine: doctrine.written,
        reloads: spanless_counts(&reload_stock),
        tracker: spanless(tracker),
    };
    let model = Site {
        name: s.name.clone(),
        position,
        command_post: command_post.model,
        radars,
        launchers: launchers.into_iter().flatten().collect(),
        doctrine: doctrine.model,
        reload_stock,
        tracker,
    };
    Some(Resolved { model, written })
}

/// The site's tracker as written (checked), else [`default_site_tracker`].
fn tracker(
    t: Option<&Spanned<TrackerFileConfig>>,
    context: &str,
    rep: &mut Reporter<'_>,
) -> TrackerFileConfig {
    let Some(t) = t else {
        return default_site_tracker();
    };
    if let Err(e) = t.get_ref().validate() {
        rep.error(
            t.span(),
            format!("{context}tracker: {e}"),
            None,
            Some("the [site.tracker] table takes the format of `iadsim track --config` (docs/scenario.md)".into()),
        );
    }
    *t.get_ref()
}

/// The command post's tracker when the scenario does not give one: an IMM of constant velocity
/// and coordinated turn (EKF), run in the site's local East-North-Up frame so that the turn mode
/// turns in the horizontal plane. The engagement radar revisits every second with a Pd that can be
/// below one half at long range, so a confirmed track survives 20 consecutive missed looks (a
/// track break makes C2 see a new target and fire again); tentative tracks need 3 hits in 4 looks
/// and a velocity prior wide enough (1,500 m/s per axis) for ballistic targets.
pub fn default_site_tracker() -> TrackerFileConfig {
    use iadsim_track::config::{DeletionSection, ImmCtConfig, ImmCvConfig, InitiationSection};
    use iadsim_track::VelocityStart;
    use iadsim_track::{FilterKind, MotionConfig};
    TrackerFileConfig {
        motion: MotionConfig::Imm {
            cv: ImmCvConfig {
                q: 20.0,
                turn_rate_sigma_radps: 1e-3,
            },
            ct: ImmCtConfig {
                q: 20.0,
                turn_rate_noise: 1e-3,
            },
            transition_diagonal: [0.95, 0.95],
            initial_probabilities: [0.9, 0.1],
            init_turn_rate_sigma_radps: 0.1,
        },
        filter: FilterKind::Ekf,
        initiation: InitiationSection {
            m: 3,
            n: 4,
            init_velocity_sigma_mps: 1_500.0,
            velocity_start: VelocityStart::TwoPoint,
        },
        deletion: DeletionSection {
            max_misses: 20,
            max_misses_tentative: 3,
            max_coast_tentative_s: 12.0,
            ..DeletionSection::default()
        },
        ..TrackerFileConfig::default()
    }
}
