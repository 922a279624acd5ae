"""Anchor: the batched DSR (METHODS.md section 3) as plain vectorised NumPy, for comparison with
DirectlyStandardisedRate.batch. Written from the formulas; prints groups/s.

    python3 Benchmarks/anchors/dsr_numpy.py [groups]

Same synthetic input as the Swift hand measurement: 19 ESP2013 bands, counts 0-59,
populations 1-5,000, levels 95% and 99.8%, per 100,000; best of 7 runs.
"""
import sys
import time

import numpy as np

WEIGHTS = np.array([5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
                    7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000], dtype=float)
Z = np.array([1.959963984540054, 3.090232306167813])  # Phi^-1(0.975), Phi^-1(0.999)


def dsr_batch(counts, populations, weights, z, multiplier=100_000.0):
    """counts, populations: (groups, bands); missing counts are NaN (= 0). Returns value, lower, upper (groups x levels)."""
    if not (np.all(populations > 0) and np.all(np.isfinite(populations))):
        raise ValueError("population must be positive for a DSR")
    x = np.nan_to_num(counts, nan=0.0)
    if np.any(x < 0):
        raise ValueError("count must be a non-negative number")
    sum_w = weights.sum()
    rate = weights * x / populations
    weighted = rate.sum(axis=1)
    variance = (weights * rate / populations).sum(axis=1)
    total = x.sum(axis=1)
    dsr = weighted / sum_w
    with np.errstate(divide="ignore", invalid="ignore"):
        per_event = np.sqrt(variance / total) / sum_w
        o = total[:, None]
        lower_base = 1 - 1 / (9 * o) - z / (3 * np.sqrt(o))
        lower = np.where(lower_base >= 0, o * lower_base ** 3, np.nan)
        o1 = o + 1
        upper = o1 * (1 - 1 / (9 * o1) + z / (3 * np.sqrt(o1))) ** 3
        value = dsr * multiplier
        lo = (dsr[:, None] + per_event[:, None] * (lower - o)) * multiplier
        hi = (dsr[:, None] + per_event[:, None] * (upper - o)) * multiplier
    small = total < 10  # "total count < 10": suppressed
    value = np.where(small, np.nan, value)
    lo[small] = np.nan
    hi[small] = np.nan
    return value, lo, hi


def check_against_fixture():
    """testdata_big from the PHE fixture: DSR 10430.247991469423, 95% limits 9717.709067985681-11178.94091547925."""
    counts = np.array([[127, 25, 18, 21, 12, 27, 48, 27, 29, 32, 32, 34, 45, 65, 38, 68, 74, 82, 91]], dtype=float)
    pops = np.array([[636, 558, 609, 543, 384, 594, 669, 843, 660, 576, 606, 522, 426, 273, 300, 288, 153, 123, 207]],
                    dtype=float)
    value, lo, hi = dsr_batch(counts, pops, WEIGHTS, Z)
    for got, want in ((value[0], 10430.247991469423), (lo[0, 0], 9717.709067985681), (hi[0, 0], 11178.94091547925)):
        assert abs(got - want) <= 1e-4 * abs(want), (got, want)


def main():
    groups = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    check_against_fixture()
    rng = np.random.default_rng(42)
    counts = rng.integers(0, 60, size=(groups, 19)).astype(float)
    pops = rng.integers(1, 5001, size=(groups, 19)).astype(float)
    best = float("inf")
    for _ in range(7):
        t0 = time.perf_counter()
        value, lo, hi = dsr_batch(counts, pops, WEIGHTS, Z)
        best = min(best, time.perf_counter() - t0)
    assert value.shape == (groups,) and lo.shape == (groups, 2)
    print(f"numpy {np.__version__}: groups {groups} bands 19 levels 2: best {best:.4f} s -> {groups / best:,.0f} groups/s")


if __name__ == "__main__":
    main()
