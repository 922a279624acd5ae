#!/usr/bin/env python3
"""Speed anchor: the batched life-table work of LifeExpectancy.batch, in plain vectorised NumPy.

METHODS.md §5 (Chiang II abridged life table, Silcocks variance) for G groups of 20 bands at
once, arrays shaped (G, 20), loops only over the 20 bands. Same work as the Swift benchmark
"Life table batch 10k groups": validation rules, e and SE at every start age, limits at 95%
and 99.8%, the wide-interval and no-survivor rules. Prints groups/s.

Usage: python3 life_table_numpy.py [groups ...]   (default: 10000 100000)
"""
import sys
import time
from statistics import NormalDist

import numpy as np

START_AGES = np.array([0, 1] + list(range(5, 95, 5)))
WIDTHS = np.diff(START_AGES).astype(float)  # n for the 19 closed bands
A = np.full(19, 0.5)
A[0] = 0.1
LEVELS = (0.95, 0.998)
Z = np.array([NormalDist().inv_cdf(1 - (1 - c) / 2) for c in LEVELS])
Z95 = NormalDist().inv_cdf(0.975)

# The reference table (life_expectancy_chiang_silcocks.csv) and its e0, 95% limits.
REF_POP = np.array([7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601,
                    50209, 56416, 46411, 39820, 37978, 37039, 33288, 23306, 11936, 11936], float)
REF_DEATHS = np.array([17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872,
                       1390, 1605, 1936, 1937], float)
REF_E0, REF_L0, REF_U0 = 80.16960813, 79.88268548, 80.45653078


def life_table_columns(D, P):
    """The Chiang II columns of G groups at once: M, q, l, d (closed bands), L, T, e, each (G, 20)
    except q and d (G, 19). No validation; IEEE arithmetic (call inside np.errstate)."""
    G = D.shape[0]
    M = D / P
    Dc, Pc, Mc = D[:, :19], P[:, :19], M[:, :19]
    nm = WIDTHS * Mc
    q = np.where(Dc > Pc / (WIDTHS * A), 1.0, nm / (1 + nm * (1 - A)))
    l = np.empty((G, 20))
    l[:, 0] = 100_000.0
    for i in range(19):
        l[:, i + 1] = l[:, i] * (1 - q[:, i])
    d = l[:, :19] - l[:, 1:]
    L = np.empty((G, 20))
    L[:, :19] = WIDTHS * (l[:, 1:] + A * d)
    L[:, 19] = l[:, 19] / M[:, 19]
    T = np.cumsum(L[:, ::-1], axis=1)[:, ::-1]
    e = np.where(l > 0, T / l, 0.0)
    return M, q, l, d, L, T, e


def life_table_se(D, M, q, l, d, e):
    """SE(e) at every start age (Silcocks), and s² = q²(1 − q)/D of the closed bands."""
    G = D.shape[0]
    s2 = np.where(d == 0, 0.0, q * q * (1 - q) / D[:, :19])
    W = np.empty((G, 20))
    W[:, :19] = s2 * l[:, :19] ** 2 * ((1 - A) * WIDTHS + e[:, 1:]) ** 2
    W[:, 19] = (l[:, 19] / 2) ** 2 * (4 / (D[:, 19] * M[:, 19] ** 2))
    sum_w = np.cumsum(W[:, ::-1], axis=1)[:, ::-1]
    return np.where(l > 0, np.sqrt(sum_w) / l, np.nan), s2


def life_expectancy_batch(deaths, populations):
    """Returns value (G, 20) and lower, upper (G, 20, levels); NaN where empty."""
    D, P = deaths, populations
    with np.errstate(divide="ignore", invalid="ignore"):
        # Group rules: missing, D < 0, P <= 0, D > P, total population <= 5,000.
        ok = (np.isfinite(D) & np.isfinite(P) & (D >= 0) & (P > 0) & (D <= P)).all(axis=1)
        ok &= P.sum(axis=1) > 5000

        M, q, l, d, L, T, e = life_table_columns(D, P)
        se, _ = life_table_se(D, M, q, l, d, e)

        # Single-value rules: l = 0 -> 0 without limits; not finite -> empty;
        # 1.959964 SE > 10 -> value blanked, limits kept.
        no_survivors = l == 0
        finite = np.isfinite(e)
        wide = finite & ~no_survivors & (Z95 * se > 10)
        value = np.where(no_survivors, 0.0, np.where(finite & ~wide, e, np.nan))
        keep_limits = finite & ~no_survivors
        half = Z[None, None, :] * se[:, :, None]
        lower = np.where(keep_limits[:, :, None], e[:, :, None] - half, np.nan)
        upper = np.where(keep_limits[:, :, None], e[:, :, None] + half, np.nan)
        lower[~np.isfinite(lower)] = np.nan
        upper[~np.isfinite(upper)] = np.nan

        value[~ok] = np.nan
        lower[~ok] = np.nan
        upper[~ok] = np.nan
    return value, lower, upper


def synthetic_groups(count, seed=20240611):
    """Group 0 is the reference table; the rest scale it as the Swift benchmark does."""
    rng = np.random.default_rng(seed)
    scale = 10 ** rng.uniform(-1, 0.5, size=(count, 1))
    P = np.rint(REF_POP * scale * rng.uniform(0.8, 1.2, size=(count, 20)))
    rate = REF_DEATHS / REF_POP * rng.uniform(0.7, 1.3, size=(count, 20))
    D = np.minimum(P, np.rint(rate * P))
    P[0], D[0] = REF_POP, REF_DEATHS
    return D, P


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000]
    for groups in sizes:
        D, P = synthetic_groups(groups)
        value, lower, upper = life_expectancy_batch(D, P)
        assert abs(value[0, 0] - REF_E0) < 1e-4, value[0, 0]
        assert abs(lower[0, 0, 0] - REF_L0) < 1e-4 and abs(upper[0, 0, 0] - REF_U0) < 1e-4
        best = float("inf")
        repeats = max(3, min(20, 200_000 // groups))
        for _ in range(repeats):
            t0 = time.perf_counter()
            out = life_expectancy_batch(D, P)
            best = min(best, time.perf_counter() - t0)
        assert out[0].shape == (groups, 20)
        print(f"numpy {np.__version__}: {groups} groups, 20 bands, all start ages, 2 levels: "
              f"{groups / best:,.0f} groups/s ({best * 1e3:.1f} ms, best of {repeats})")


if __name__ == "__main__":
    main()
