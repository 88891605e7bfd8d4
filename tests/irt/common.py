"""Shared helpers for the comparison scripts (dev-only)."""
import json
import os

import numpy as np


def load_params(path):
    """a, b1..b4 per row -> (a[n], b[n, 4])."""
    m = np.loadtxt(path, delimiter=",", skiprows=1)
    return m[:, 0], m[:, 1:]


def criterion_median_ns(name):
    """Median of a criterion benchmark in nanoseconds, or None."""
    # criterion stores "group/name" ids of bench_function as "group_name"
    for parts in (name.split("/"), [name.replace("/", "_")]):
        path = os.path.join("target", "criterion", *parts, "new", "estimates.json")
        try:
            with open(path) as f:
                return json.load(f)["median"]["point_estimate"]
        except (OSError, KeyError, ValueError):
            continue
    return None
