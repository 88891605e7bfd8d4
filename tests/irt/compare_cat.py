"""CAT step: Vigil (Rust, criterion median) vs Python references.

What is compared, on the same 300-item, 5-category GRM bank
(target/irt-compare/cat_bank_300.csv, written by the irt_report example):

* "numpy GRM reference": one CAT step written the way a careful numpy user
  would: the log P table (items x categories x 61 nodes) is precomputed,
  the step adds the new answer's row to the log posterior, computes EAP and
  posterior SD, then computes exact GRM Fisher information of all 300 items
  at the new EAP (vectorised) and takes the argmax over unused items.
  This is the same work as Vigil's `cat/step_300_items_5_categories` bench
  (which interpolates information from a precomputed grid instead).
* "catsim 2PL": catsim is dichotomous, so for context we time catsim's own
  step (NumericalSearchEstimator.estimate + MaxInfoSelector.select) on the
  2PL version of the bank (a, mean of the b_k), after the same 10 answers.
"""
import sys
import timeit

import numpy as np

from common import criterion_median_ns, load_params

out = sys.argv[1] if len(sys.argv) > 1 else "target/irt-compare"
a, b = load_params(f"{out}/cat_bank_300.csv")
n_items, n_b = b.shape
nodes = np.linspace(-6, 6, 61)
log_prior = -0.5 * nodes**2
log_prior -= np.log(np.exp(log_prior).sum())


def boundaries(theta):
    """P*_k for k = 0..K at each theta: shape (items, K + 1, len(theta))."""
    theta = np.atleast_1d(theta)
    star = 1.0 / (1.0 + np.exp(-a[:, None, None] * (theta[None, None, :] - b[:, :, None])))
    ones = np.ones((n_items, 1, theta.size))
    zeros = np.zeros((n_items, 1, theta.size))
    return np.concatenate([ones, star, zeros], axis=1)


star_nodes = boundaries(nodes)
logp_table = np.log(np.clip(star_nodes[:, :-1, :] - star_nodes[:, 1:, :], 1e-300, None))  # items x K x nodes

rng = np.random.default_rng(1)
administered = list(rng.choice(n_items, size=10, replace=False))
answers = list(rng.integers(0, n_b + 1, size=10))
log_post = log_prior + sum(logp_table[i, k] for i, k in zip(administered, answers))
used = np.zeros(n_items, bool)
used[administered] = True
next_item, next_answer = int(np.flatnonzero(~used)[0]), 2


def numpy_step():
    lp = log_post + logp_table[next_item, next_answer]
    w = np.exp(lp - lp.max())
    w /= w.sum()
    theta = float(w @ nodes)
    se = float(np.sqrt(w @ (nodes - theta) ** 2))
    star = boundaries(theta)[:, :, 0]
    p = star[:, :-1] - star[:, 1:]
    r = 1.0 - star[:, :-1] - star[:, 1:]
    info = a**2 * (p * r * r).sum(axis=1)
    info[used] = -1.0
    info[next_item] = -1.0
    return int(np.argmax(info)), theta, se


reps = 2000
t_numpy = min(timeit.repeat(numpy_step, number=reps, repeat=5)) / reps
print(f"numpy GRM reference CAT step (300 items, 5 categories): {t_numpy * 1e6:.1f} us")

# Pure-Python (no numpy) version of the same step, for the issue's
# "pure Python" figure: loops over nodes and items with math.exp.
import math

nodes_l = nodes.tolist()
log_post_l = log_post.tolist()
table_row_l = logp_table[next_item, next_answer].tolist()
a_l, b_l = a.tolist(), b.tolist()
used_l = used.tolist()


def pure_python_step():
    lp = [x + y for x, y in zip(log_post_l, table_row_l)]
    m = max(lp)
    w = [math.exp(x - m) for x in lp]
    s = sum(w)
    theta = sum(wi * t for wi, t in zip(w, nodes_l)) / s
    se = math.sqrt(sum(wi * (t - theta) ** 2 for wi, t in zip(w, nodes_l)) / s)
    best, best_info = -1, -1.0
    for i in range(n_items):
        if used_l[i] or i == next_item:
            continue
        ai = a_l[i]
        star = [1.0] + [1.0 / (1.0 + math.exp(-ai * (theta - bk))) for bk in b_l[i]] + [0.0]
        info = 0.0
        for k in range(len(star) - 1):
            p = star[k] - star[k + 1]
            r = 1.0 - star[k] - star[k + 1]
            info += p * r * r
        info *= ai * ai
        if info > best_info:
            best, best_info = i, info
    return best, theta, se


assert pure_python_step()[0] == numpy_step()[0]
reps_p = 200
t_pure = min(timeit.repeat(pure_python_step, number=reps_p, repeat=5)) / reps_p
print(f"pure-Python GRM reference CAT step (300 items, 5 categories): {t_pure * 1e6:.1f} us")

try:
    from catsim.estimation import NumericalSearchEstimator
    from catsim.item_bank import ItemBank
    from catsim.selection import MaxInfoSelector

    bank2pl = ItemBank(np.column_stack([a, b.mean(axis=1)]))
    est = NumericalSearchEstimator()
    sel = MaxInfoSelector()
    resp = [bool(k >= 2) for k in answers]

    def catsim_step():
        theta = est.estimate(item_bank=bank2pl, administered_items=administered, response_vector=resp, est_theta=0.0)
        return sel.select(item_bank=bank2pl, administered_items=administered, est_theta=theta)

    reps_c = 200
    t_catsim = min(timeit.repeat(catsim_step, number=reps_c, repeat=5)) / reps_c
    print(f"catsim 2PL CAT step (estimate + select, 300 items): {t_catsim * 1e6:.1f} us")
except Exception as e:  # catsim API drift: report, do not hide
    t_catsim = None
    print(f"catsim step could not be timed: {e!r}")

rust = {
    "isolated, cold cloned state": criterion_median_ns("cat/step_300_items_5_categories"),
    "isolated, warm session": criterion_median_ns("cat/step_warm_300_items_5_categories"),
}
session = criterion_median_ns("cat/session_30_steps_300_items")
rust["in a 30-item session (median / 30)"] = None if session is None else session / 30
refs = [("numpy GRM reference", t_numpy), ("pure-Python GRM reference", t_pure), ("catsim 2PL step", t_catsim)]
for label, ns in rust.items():
    if ns is None:
        print(f"Rust bench for '{label}' not found: run `cargo bench -p assessments --bench cat` first")
        continue
    ups = ", ".join(f"{t * 1e9 / ns:.0f}x vs {name}" for name, t in refs if t is not None)
    print(f"Vigil Rust CAT step, {label}: {ns / 1000:.2f} us -> {ups}")
