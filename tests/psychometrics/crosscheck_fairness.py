#!/usr/bin/env python3
"""Independent cross-check of Vigil's fairness statistics (dev only).

The Rust test `assessments/tests/crosscheck_fairness.rs` writes
target/crosscheck/fairness_rust.json: 2 x 2 tables with the engine's Fisher p,
raw DIF observations (group, keyed, rest score) of simulated answers with two
planted items, and the keyed item scores of complete cases of a simulated
Likert bank, each with what the engine computed. This script recomputes,
with code that shares nothing with the engine:
  - Fisher's exact test, two-sided        scipy.stats.fisher_exact
  - Mantel-Haenszel common odds ratio     statsmodels StratifiedTable.oddsratio_pooled
  - its SE (Robins-Breslow-Greenland)     StratifiedTable.logodds_pooled_se, D = -2.35 ln(alpha)
  - MH chi-square, continuity-corrected   StratifiedTable.test_null_odds(correction=True), or
                                          (correction=False) when |sum A - sum E| < 0.5, as R's
                                          mantelhaen.test (statsmodels would square a negative)
  - its p (1 df)                          scipy.stats.chi2.sf (statsmodels' own p loses digits
                                          below 1e-12)
  - ETS A/B/C from those numbers
For the Likert bank it forms keyed answers (keyed score above the middle of
the item's range) and rest scores (the scale's other items) itself, with numpy,
in the engine's two stages (the second leaves items flagged B or C in the
first out of the matching score).
Tolerance: 1e-9 relative for p values and odds ratios, 1e-9 absolute for the
rest. Strata where one group is absent add nothing to any of the sums and are
left out (statsmodels would divide by zero on them).

Usage (from the repository root):  python3 tests/psychometrics/crosscheck_fairness.py
It uses the venv under target/pyenv (created if absent) and pip-installs
numpy, scipy and statsmodels into it. If the Rust data are missing it runs
the Rust test that writes them first.
"""
import json
import math
import os
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
VENV = os.path.join(ROOT, "target", "pyenv")
PY = os.path.join(VENV, "bin", "python")
DATA = os.path.join(ROOT, "target", "crosscheck", "fairness_rust.json")
TOL = 1e-9


def ensure_venv():
    if os.path.abspath(sys.prefix) != os.path.abspath(VENV):
        if not os.path.exists(PY):
            subprocess.check_call([sys.executable, "-m", "venv", VENV])
        os.execv(PY, [PY] + sys.argv)
    try:
        import numpy, scipy, statsmodels  # noqa: F401
    except ImportError:
        subprocess.check_call([PY, "-m", "pip", "install", "-q", "numpy", "scipy", "statsmodels"])


def ensure_data():
    if os.path.exists(DATA):
        return
    env = dict(os.environ, CARGO_BUILD_JOBS=os.environ.get("CARGO_BUILD_JOBS", "1"))
    subprocess.check_call(["cargo", "test", "-p", "assessments", "--test", "crosscheck_fairness"], cwd=ROOT, env=env)


def ets(d, se, p):
    size = abs(d)
    if size < 1.0 or p >= 0.05:
        return "A"
    if size >= 1.5 and (size - 1.0) / se > 1.645:
        return "C"
    return "B"


def mantel_haenszel(rows):
    """rows: (focal, keyed, rest) triples -> dict of the statistics, or None under 5 per group."""
    import numpy as np
    from statsmodels.stats.contingency_tables import StratifiedTable

    focal = sum(1 for f, _, _ in rows if f)
    if focal < 5 or len(rows) - focal < 5:
        return None
    tables = []
    for level in sorted({r for _, _, r in rows}):
        t = np.zeros((2, 2))
        for f, k, r in rows:
            if r == level:
                t[int(f), 0 if k else 1] += 1
        if t[0].sum() > 0 and t[1].sum() > 0 and t.sum() >= 2:
            tables.append(t)
    st = StratifiedTable(tables)
    alpha = st.oddsratio_pooled
    if not (alpha > 0 and math.isfinite(alpha)):
        return None
    from scipy.stats import chi2

    difference = sum(t[0, 0] - t[0].sum() * t[:, 0].sum() / t.sum() for t in tables)
    statistic = st.test_null_odds(correction=abs(difference) >= 0.5).statistic
    p = chi2.sf(statistic, 1)
    d = -2.35 * math.log(alpha)
    se = 2.35 * st.logodds_pooled_se
    return {"alpha": alpha, "d_dif": d, "se_d": se, "chi_square": statistic, "p": p, "class": ets(d, se, p)}


def main():
    ensure_venv()
    ensure_data()
    import numpy as np
    from scipy.stats import fisher_exact

    with open(DATA) as fh:
        rust = json.load(fh)
    passed, failures = 0, []

    def check(name, got, want, relative=False):
        nonlocal passed
        scale = max(abs(want), 1e-300) if relative else 1.0
        if got is None or want is None or not abs(got - want) <= TOL * scale:
            failures.append(f"{name}: rust {got!r} vs independent {want!r}")
        else:
            passed += 1

    for case in rust["fisher"]:
        a, b, c, d = case["table"]
        check(f"fisher {case['table']}", case["p"], fisher_exact([[a, b], [c, d]], alternative="two-sided")[1], relative=True)

    def compare(name, got, want):
        nonlocal passed
        if got is None or want is None:
            if got is None and want is None:
                passed += 1
            else:
                failures.append(f"{name}: rust {got!r} vs independent {want!r}")
            return
        check(f"{name} alpha", got["alpha"], want["alpha"], relative=True)
        check(f"{name} D", got["d_dif"], want["d_dif"])
        check(f"{name} SE", got["se_d"], want["se_d"])
        check(f"{name} chi2", got["chi_square"], want["chi_square"])
        check(f"{name} p", got["p"], want["p"], relative=True)
        if got["class"] == want["class"]:
            passed += 1
        else:
            failures.append(f"{name}: class {got['class']} vs {want['class']}")

    classes = []
    for i, item in enumerate(rust["planted"]):
        want = mantel_haenszel([(bool(f), bool(k), r) for f, k, r in item["observations"]])
        compare(f"planted item {i}", item["rust"], want)
        classes.append(want["class"] if want else "-")

    for sc in rust["likert"]:
        x = np.array([p["scores"] for p in sc["people"]], dtype=float)
        focal = [p["focal"] for p in sc["people"]]
        k = x.shape[1]

        def dif(j, left_out):
            keep = [c for c in range(k) if c != j and c not in left_out]
            keyed = x[:, j] > (sc["ranges"][j][0] + sc["ranges"][j][1]) / 2.0
            rest = np.rint(x[:, keep].sum(axis=1)).astype(int)
            return mantel_haenszel(list(zip(focal, keyed.tolist(), rest.tolist())))

        # Two stages: the second leaves the items flagged B or C in the first out of the matching score.
        first = [dif(j, []) for j in range(k)]
        flagged = [j for j, m in enumerate(first) if m is not None and m["class"] != "A"]
        for j in range(k):
            left_out = [f for f in flagged if f != j]
            if len(left_out) + 1 >= k:
                left_out = []
            compare(f"{sc['scale']} item {j}", sc["rust"][j], dif(j, left_out) if left_out else first[j])

    print(f"fairness crosscheck: {passed} passed, {len(failures)} failed (tolerance {TOL}); planted items' ETS classes: {''.join(classes)}")
    for f in failures[:20]:
        print("  " + f)
    if failures:
        sys.exit(1)


if __name__ == "__main__":
    main()
