#!/usr/bin/env python3
"""Independent cross-check of Vigil's classical test theory numbers (dev only).

The Rust test `assessments/tests/crosscheck_export.rs` simulates respondents
and writes, under target/crosscheck/:
  ctt_items.csv    keyed item scores, complete cases, one file section per scale
  ctt_rust.json    what the Rust engine computed on exactly these numbers

This script recomputes the same statistics with numpy (an implementation
that shares no code with the engine) and compares:
  - Cronbach alpha                  k/(k-1) * (1 - sum(var_i)/var(total)), ddof=1
  - corrected item-total r          corr(x_i, total - x_i)
  - alpha if item deleted
  - mid-point percentile ranks      100 * (below + 0.5 * equal) / N at every table point
  - Feldt 95% interval              scipy.stats.f quantiles
  - McDonald omega                  one-factor iterated principal axis (numpy eigh)
Tolerance: 1e-9 absolute (1e-6 for Feldt, whose F quantile the engine finds
numerically, and for omega, an iterative fit).

Usage (from the repository root):  python3 tests/psychometrics/crosscheck_ctt.py
It creates a venv under target/pyenv if absent and pip-installs numpy and
scipy into it, then re-executes itself inside that venv. If the Rust data
are missing it runs the Rust test that writes them first.
"""
import json
import os
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
VENV = os.path.join(ROOT, "target", "pyenv")
PY = os.path.join(VENV, "bin", "python")
DATA = os.path.join(ROOT, "target", "crosscheck")
TOL = 1e-9
TOL_FELDT = 1e-6
TOL_OMEGA = 1e-6


def omega_paf(x):
    """Omega total from a one-factor principal-axis fit of the correlation matrix."""
    import numpy as np
    r = np.corrcoef(x, rowvar=False)
    off = np.abs(r - np.eye(r.shape[0]))
    h = off.max(axis=1)
    for _ in range(500):
        rr = r.copy()
        np.fill_diagonal(rr, h)
        w, v = np.linalg.eigh(rr)
        lam = v[:, -1] * np.sqrt(max(w[-1], 0.0))
        if lam.sum() < 0:
            lam = -lam
        nh = np.minimum(lam ** 2, 0.995)
        done = np.abs(nh - h).max() < 1e-9
        h = nh
        if done:
            break
    s = lam.sum()
    return s * s / (s * s + (1 - np.minimum(lam ** 2, 1.0)).sum())


def ensure_venv():
    if os.path.abspath(sys.prefix) != os.path.abspath(VENV):
        if not os.path.exists(PY):
            subprocess.check_call([sys.executable, "-m", "venv", VENV])
        os.execv(PY, [PY] + sys.argv)
    try:
        import numpy, scipy  # noqa: F401
    except ImportError:
        subprocess.check_call([PY, "-m", "pip", "install", "-q", "numpy", "scipy"])


def ensure_data():
    if os.path.exists(os.path.join(DATA, "ctt_rust.json")):
        return
    env = dict(os.environ, CARGO_BUILD_JOBS=os.environ.get("CARGO_BUILD_JOBS", "1"))
    env["VIGIL_SKIP_PY_CROSSCHECK"] = "1"
    subprocess.check_call(
        ["cargo", "test", "-p", "assessments", "--test", "crosscheck_export"], cwd=ROOT, env=env
    )


def main():
    ensure_venv()
    ensure_data()
    import numpy as np
    from scipy.stats import f as fdist

    with open(os.path.join(DATA, "ctt_rust.json")) as fh:
        rust = json.load(fh)
    passed, failed = 0, 0
    failures = []

    def check(name, got, want, tol=TOL):
        nonlocal passed, failed
        if got is None or want is None or not abs(got - want) <= tol:
            failed += 1
            failures.append(f"{name}: rust {got!r} vs numpy {want!r} (tol {tol})")
        else:
            passed += 1

    for sc in rust["scales"]:
        x = np.loadtxt(os.path.join(DATA, sc["items_csv"]), delimiter=",", skiprows=1, ndmin=2)
        n, k = x.shape
        total = x.sum(axis=1)
        alpha = k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / total.var(ddof=1))
        check(f"{sc['scale']} alpha", sc["alpha"], alpha)
        for i in range(k):
            rest = total - x[:, i]
            check(f"{sc['scale']} item {i} citc", sc["citc"][i], np.corrcoef(x[:, i], rest)[0, 1])
            xd = np.delete(x, i, axis=1)
            td = xd.sum(axis=1)
            ad = (k - 1) / (k - 2) * (1 - xd.var(axis=0, ddof=1).sum() / td.var(ddof=1))
            check(f"{sc['scale']} item {i} alpha-if-deleted", sc["alpha_if_deleted"][i], ad)
        lo = 1 - (1 - alpha) * fdist.ppf(0.975, n - 1, (n - 1) * (k - 1))
        hi = 1 - (1 - alpha) * fdist.ppf(0.025, n - 1, (n - 1) * (k - 1))
        check(f"{sc['scale']} feldt lower", sc["feldt95"][0], lo, TOL_FELDT)
        check(f"{sc['scale']} feldt upper", sc["feldt95"][1], hi, TOL_FELDT)
        check(f"{sc['scale']} omega", sc["omega"], omega_paf(x), TOL_OMEGA)
        raw = np.array(sc["raw_scores"], dtype=float)
        for v, pr in sc["percentiles"]:
            want = 100.0 * ((raw < v).sum() + 0.5 * (raw == v).sum()) / raw.size
            check(f"{sc['scale']} PR({v})", pr, want)
    print(f"ctt crosscheck: {passed} passed, {failed} failed (tolerance {TOL}; Feldt, omega {TOL_FELDT})")
    for line in failures[:20]:
        print("  FAIL " + line)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
