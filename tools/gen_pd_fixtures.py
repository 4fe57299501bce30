#!/usr/bin/env python3
"""Generate the reference fixture for the iadsim-sensors detection-probability tests.

Run from the workspace root:

    pip install -r tools/requirements-pd.txt
    python3 tools/gen_pd_fixtures.py

Writes crates/sensors/tests/fixtures/pd_swerling.csv with columns case,pulses,pfa,snr_db,pd over
Swerling cases 0-4, pulses {1, 2, 5, 10, 30}, Pfa {1e-4, 1e-6, 1e-8, 1e-10} and SNR 0..25 dB.

The reference is computed independently of the Rust formulas (which use closed forms and
Poisson / negative-binomial mixture series):

* Model: square-law detector, noise power 1 per pulse, non-coherent sum Y of n pulses.
  Noise only, Y ~ Gamma(n, 1), so the threshold is T = gammainccinv(n, Pfa).
  With total signal energy E (= n * SNR for a steady target), 2Y ~ ncx2(2n, 2E).
* Swerling 0: ncx2.sf(2T, 2n, 2nS) (scipy wraps Boost's non-central chi-square).
* Swerling 1 (scan-to-scan, exponential power x, density exp(-x)): quad over x of
  ncx2.sf(2T, 2n, 2nSx) exp(-x) (or 1 - the same with ncx2.cdf when Pd > 1/2).
* Swerling 3 (scan-to-scan, chi-square 4 DOF, density 4x exp(-2x)): the same quad.
* Swerling 2 (pulse-to-pulse exponential): Y ~ Gamma(n, 1+S), Pd = gammaincc(n, T/(1+S)).
* Swerling 4 (pulse-to-pulse chi-square 4 DOF): the per-pulse MGF is
  M(s) = (1-s)^-1 (1 - S s / (2(1-s)))^-2 = (1-s) / (1 - b s)^2 with b = 1 + S/2.
  Writing 1-s = (1-bs)/b + (1-1/b), the n-pulse MGF (1-s)^n (1-bs)^-2n expands binomially into
  sum_j C(n,j) (1/b)^(n-j) (1-1/b)^j (1-bs)^-(n+j): a finite mixture of Gamma(n+j, b). So
  Pd = sum_j C(n,j) (1/b)^(n-j) (1-1/b)^j Q(n+j, T/b), evaluated in mpmath at 40 digits.

Self-checks (printed, and asserted): Swerling 1 quad against the DiFranco & Rubin closed form;
Swerling 2 (n=1) against Swerling 1 (n=1) and Swerling 4 (n=1) against Swerling 3 (n=1), which
coincide for a single pulse; Swerling 0 ncx2.sf against an mpmath Poisson-mixture series.

The file starts with '#' comment lines naming this command and the library versions, plus the
spot SNRs for Pd = 0.9, Pfa = 1e-6, n = 1 (Swerling 0 and 1), found with brentq. Values are
written with repr(), which round-trips IEEE doubles exactly.
"""

import math
import os

import mpmath
import numpy
import scipy
from scipy import integrate, optimize, special, stats

CASES = [0, 1, 2, 3, 4]
PULSES = [1, 2, 5, 10, 30]
PFAS = [1e-4, 1e-6, 1e-8, 1e-10]
SNRS_DB = list(range(0, 26))

COMMAND = (
    "python3 tools/gen_pd_fixtures.py  (scipy==%s, numpy==%s, mpmath==%s)"
    % (scipy.__version__, numpy.__version__, mpmath.__version__)
)

mpmath.mp.dps = 40


def threshold(n, pfa):
    t = special.gammainccinv(n, pfa)
    # gammainccinv is accurate to ~1e-14 relative; check it against mpmath.
    q = mpmath.gammainc(n, t, mpmath.inf, regularized=True)
    assert abs(float(q) / pfa - 1.0) < 1e-10, (n, pfa, t, q)
    return t


def pd_sw0(s, t, n):
    return stats.ncx2.sf(2.0 * t, 2 * n, 2.0 * n * s)


def _scan_to_scan(s, t, n, density):
    # The integrand has a step (width ~ sqrt(T)/(nS)) where the signal energy n*S*x reaches the
    # threshold T; break the range at x_step * 2^k so that quad resolves it, and cut the tail at
    # x = 60 (weight < 1e-24). Integrate the smaller of Pd and 1 - Pd so neither loses digits.
    x_step = t / (n * s)
    edges = sorted({0.0, 60.0} | {x_step * 2.0**k for k in range(-8, 12) if x_step * 2.0**k < 60.0})

    def integral(g):
        total = 0.0
        for a, b in zip(edges[:-1], edges[1:]):
            v, _err = integrate.quad(
                lambda x: g(x) * density(x), a, b, epsabs=1e-15, epsrel=1e-13, limit=500
            )
            total += v
        return total

    pd = integral(lambda x: stats.ncx2.sf(2.0 * t, 2 * n, 2.0 * n * s * x))
    if pd < 0.5:
        return pd
    return 1.0 - integral(lambda x: stats.ncx2.cdf(2.0 * t, 2 * n, 2.0 * n * s * x))


def pd_sw1(s, t, n):
    return _scan_to_scan(s, t, n, lambda x: math.exp(-x))


def pd_sw3(s, t, n):
    return _scan_to_scan(s, t, n, lambda x: 4.0 * x * math.exp(-2.0 * x))


def pd_sw2(s, t, n):
    return special.gammaincc(n, t / (1.0 + s))


def pd_sw4(s, t, n):
    b = 1 + mpmath.mpf(s) / 2
    tb = mpmath.mpf(t) / b
    w0 = 1 / b
    w1 = 1 - 1 / b
    total = mpmath.mpf(0)
    for j in range(n + 1):
        weight = mpmath.binomial(n, j) * w0 ** (n - j) * w1**j
        total += weight * mpmath.gammainc(n + j, tb, mpmath.inf, regularized=True)
    return float(total)


PD = {0: pd_sw0, 1: pd_sw1, 2: pd_sw2, 3: pd_sw3, 4: pd_sw4}


def pd_sw1_closed(s, t, n):
    """DiFranco & Rubin (1968) / Meyer & Mayer (1973) closed form, for the self-check only."""
    if n == 1:
        return math.exp(-t / (1.0 + s))
    c = n * s / (1.0 + n * s)
    return special.gammaincc(n - 1, t) + math.exp(
        -t / (1.0 + n * s) - (n - 1) * math.log(c)
    ) * special.gammainc(n - 1, c * t)


def pd_sw0_series(s, t, n):
    """Poisson mixture of Gamma(n+k) (the ncx2 series), in mpmath, for the self-check only."""
    lam = mpmath.mpf(n) * s
    total = mpmath.mpf(0)
    k = 0
    while True:
        w = mpmath.exp(-lam) * lam**k / mpmath.factorial(k)
        total += w * mpmath.gammainc(n + k, t, mpmath.inf, regularized=True)
        if k > lam and w < mpmath.mpf(10) ** -30:
            break
        k += 1
    return float(total)


def spot_snr_db(case, pd, pfa, n):
    t = threshold(n, pfa)
    return optimize.brentq(
        lambda db: PD[case](10.0 ** (db / 10.0), t, n) - pd, -10.0, 60.0, xtol=1e-13, rtol=1e-14
    )


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = os.path.join(root, "crates", "sensors", "tests", "fixtures", "pd_swerling.csv")
    os.makedirs(os.path.dirname(out), exist_ok=True)

    rows = []
    worst = {"sw1_closed": 0.0, "sw2_vs_sw1_n1": 0.0, "sw4_vs_sw3_n1": 0.0, "sw0_series": 0.0}
    for n in PULSES:
        for pfa in PFAS:
            t = threshold(n, pfa)
            for db in SNRS_DB:
                s = 10.0 ** (db / 10.0)
                values = {case: PD[case](s, t, n) for case in CASES}
                for case in CASES:
                    rows.append((case, n, pfa, db, values[case]))
                worst["sw1_closed"] = max(
                    worst["sw1_closed"], abs(values[1] - pd_sw1_closed(s, t, n))
                )
                if n == 1:
                    worst["sw2_vs_sw1_n1"] = max(worst["sw2_vs_sw1_n1"], abs(values[2] - values[1]))
                    worst["sw4_vs_sw3_n1"] = max(worst["sw4_vs_sw3_n1"], abs(values[4] - values[3]))
                if db % 5 == 0:
                    worst["sw0_series"] = max(
                        worst["sw0_series"], abs(values[0] - pd_sw0_series(s, t, n))
                    )
    for name, err in worst.items():
        print("self-check %-14s max |diff| = %.3e" % (name, err))
        assert err < 1e-9, name

    spots = [(case, spot_snr_db(case, 0.9, 1e-6, 1)) for case in CASES]
    rows.sort(key=lambda r: (r[0], r[1], -r[2], r[3]))
    with open(out, "w") as f:
        f.write("# %s\n" % COMMAND)
        f.write("# threshold T = scipy.special.gammainccinv(n, pfa); snr_db is the mean single-pulse\n")
        f.write("# SNR; see the script's docstring for the method of each Swerling case.\n")
        for case, db in spots:
            f.write("# spot: case=%d pulses=1 pfa=1e-06 pd=0.9 snr_db=%r\n" % (case, db))
        f.write("case,pulses,pfa,snr_db,pd\n")
        for case, n, pfa, db, pd in rows:
            f.write("%d,%d,%r,%d,%r\n" % (case, n, pfa, db, float(pd)))
    print("wrote %d rows to %s" % (len(rows), out))
    for case, db in spots:
        print("spot: Swerling %d, n=1, Pfa=1e-6, Pd=0.9: %.6f dB" % (case, db))


if __name__ == "__main__":
    main()
