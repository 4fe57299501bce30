//! Against published closed forms.
use crate::{constant_speed, origin};
use iadsim_interceptor::Interceptor;
use nalgebra::Vector3;

/// Zarchan, *Tactical and Strategic Missile Guidance* (6th ed.), ch. 2, closed-form solution of the
/// linearised zero-lag PN engagement: the acceleration commanded to remove a heading error HE is
/// `n_c(t) = −(V_M · HE · N' / t_F) · (1 − t/t_F)^(N'−2)`, with `t_F = R0 / V_c` and, against a
/// stationary target, `V_c = V_M`. Checked in magnitude at t = 0 and t = t_F/2, planar, constant
/// missile speed.
#[test]
fn heading_error_command_matches_zarchan_closed_form() {
    let (vm, range, he) = (1000.0, 10_000.0, 0.05_f64);
    let t_f = range / vm;
    for nav in [3.0, 4.0, 5.0] {
        let kin = constant_speed(vm, 1e6, nav);
        // Local axes at the origin: x up, y east, z north. Target due north, stationary.
        let target = origin() + Vector3::new(0.0, 0.0, range);
        let dir = Vector3::new(0.0, he.sin(), he.cos());
        let mut m = Interceptor::launch(origin(), dir, kin).unwrap();
        let zero = Vector3::zeros();
        let closed = |t: f64| vm * he * nav / t_f * (1.0 - t / t_f).powf(nav - 2.0);

        let (a0, _) = m.guidance_command(&target, &zero);
        // 1 %: the linearisation drops cos HE factors (HE = 0.05 rad gives 0.25 %).
        assert!(
            (a0.norm() / closed(0.0) - 1.0).abs() < 0.01,
            "N'={nav}: n_c(0) = {} vs {}",
            a0.norm(),
            closed(0.0)
        );
        // The command steers toward the target (−y), i.e. removes the heading error.
        assert!(a0.y < 0.0);

        let dt = 0.001;
        let half = (0.5 * t_f / dt).round() as usize;
        for _ in 0..half {
            m.step(dt, &target, &zero);
        }
        let (a_mid, _) = m.guidance_command(&target, &zero);
        // 3 %: the nonlinear flight path is slightly longer than the linear t_F assumes.
        assert!(
            (a_mid.norm() / closed(m.time_of_flight_s) - 1.0).abs() < 0.03,
            "N'={nav}: n_c(t_F/2) = {} vs {}",
            a_mid.norm(),
            closed(m.time_of_flight_s)
        );
    }
}
