#!/usr/bin/env python3
"""Speed anchor: the batched Sullivan work of HealthyLifeExpectancy.batch, in plain vectorised NumPy.

METHODS.md §9 (healthy life expectancy by Sullivan's method on the Chiang II life table of §5,
Mathers variance: prevalence and mortality parts) for G groups of 20 bands at once, arrays shaped
(G, 20), loops only over the 20 bands. Same work as the Swift suite "HealthyLifeExpectancy":
prevalence checks (π in [0, 1], N >= 0), the §5 group rules, the life table, HLE and both
variance parts at every band, then HLE, e, years in poorer health, per cent healthy and limits
at 95% and 99.8% at ages 0 and 65 with the §5 single-value rules. With --coarse the prevalence
comes in the bands 0-14, 15-44, 45-64, 65-84, 85+ (one mapping shared by all groups here; the
Swift kernel takes one per group). Prints groups/s of thread CPU time (time.thread_time, as
the Swift suites measure).

Usage: python3 hle_numpy.py [--coarse] [groups ...]   (default: 10000 100000)
"""
import sys
import time

import numpy as np

from life_table_numpy import A, WIDTHS, Z, Z95, life_table_columns, life_table_se, synthetic_groups

AGES = (0, 65)
SLOTS = np.array([0, 14])  # band index of each age
COARSE = np.array([0, 0, 0, 0, 4, 4, 4, 4, 4, 4, 10, 10, 10, 10, 14, 14, 14, 14, 18, 18])


def synthetic_prevalence(count, coarse, seed=9):
    rng = np.random.default_rng(seed)
    pi = np.clip(0.95 - 0.025 * np.arange(20) + rng.uniform(-0.05, 0.05, size=(count, 20)), 0, 1)
    n = rng.integers(100, 501, size=(count, 20)).astype(float)
    if coarse:
        pi, n = pi[:, COARSE], n[:, COARSE]
    return pi, n


def hle_batch(D, P, pi, n, coarse):
    """Returns hle, e, poorer, percent, se (G, slots) and lower, upper (G, slots, levels)."""
    if not (((pi >= 0) & (pi <= 1)) | np.isnan(pi)).all():
        raise ValueError("prevalence must be between 0 and 1")
    if not (((n >= 0) & np.isfinite(n)) | np.isnan(n)).all():
        raise ValueError("sample size must be a non-negative number")
    with np.errstate(divide="ignore", invalid="ignore"):
        ok = (np.isfinite(D) & np.isfinite(P) & (D >= 0) & (P > 0) & (D <= P)).all(axis=1)
        ok &= P.sum(axis=1) > 5000
        M, q, l, d, L, T, e = life_table_columns(D, P)
        se_e, s2 = life_table_se(D, M, q, l, d, e)

        H = np.cumsum((pi * L)[:, ::-1], axis=1)[:, ::-1]
        hle = np.where(l > 0, H / l, 0.0)
        var_pi = np.where(n > 0, pi * (1 - pi) / n, np.nan)
        if coarse:
            # Σ_b (Σ_{i∈b, i≥x} L_i)² Var(π_b), one prevalence band at a time.
            prevalence = np.zeros_like(L)
            for b in np.unique(COARSE):
                mask = COARSE == b
                partial = np.cumsum((L * mask)[:, ::-1], axis=1)[:, ::-1]
                prevalence += partial ** 2 * var_pi[:, [b]]
        else:
            prevalence = np.cumsum((L * L * var_pi)[:, ::-1], axis=1)[:, ::-1]
        span = (1 - A) * WIDTHS * pi[:, :19] + hle[:, 1:]
        terms = np.zeros_like(L)
        terms[:, :19] = l[:, :19] ** 2 * span ** 2 * s2
        mortality = np.cumsum(terms[:, ::-1], axis=1)[:, ::-1]
        scale = 1 / (l * l)
        var_p, var_m = prevalence * scale, mortality * scale

        # The requested ages, with the §5 single-value rules applied to the whole row.
        e_s, l_s, se_s = e[:, SLOTS], l[:, SLOTS], se_e[:, SLOTS]
        h_s = hle[:, SLOTS]
        se_h = np.sqrt(var_p[:, SLOTS] + var_m[:, SLOTS])
        no_survivors = l_s == 0
        finite = np.isfinite(e_s)
        wide = finite & ~no_survivors & (Z95 * se_s > 10)
        keep_value = (finite & ~wide) | no_survivors
        keep_limits = finite & ~no_survivors
        h_s = np.where(no_survivors, 0.0, h_s)
        le = np.where(keep_value, e_s, np.nan)
        shown = np.where(keep_value, h_s, np.nan)
        poorer = le - shown
        percent = 100 * (shown / le)
        percent[~np.isfinite(percent)] = np.nan
        se_h = np.where(keep_limits, se_h, np.nan)
        half = Z[None, None, :] * se_h[:, :, None]
        lower = h_s[:, :, None] - half
        upper = h_s[:, :, None] + half
        lower[~np.isfinite(lower)] = np.nan
        upper[~np.isfinite(upper)] = np.nan
        for array in (shown, le, poorer, percent, se_h):
            array[~ok] = np.nan
        lower[~ok] = np.nan
        upper[~ok] = np.nan
    return shown, le, poorer, percent, se_h, lower, upper


def main():
    args = sys.argv[1:]
    coarse = "--coarse" in args
    sizes = [int(a) for a in args if a != "--coarse"] or [10_000, 100_000]
    for groups in sizes:
        D, P = synthetic_groups(groups)
        pi, n = synthetic_prevalence(groups, coarse)
        shown, le, *_ = hle_batch(D, P, pi, n, coarse)
        assert 40 < shown[1, 0] < le[1, 0], (shown[1, 0], le[1, 0])
        best = float("inf")
        repeats = max(3, min(20, 200_000 // groups))
        for _ in range(repeats):
            t0 = time.thread_time()
            out = hle_batch(D, P, pi, n, coarse)
            best = min(best, time.thread_time() - t0)
        assert out[0].shape == (groups, len(AGES))
        kind = "prevalence bands 0-14 ... 85+" if coarse else "one prevalence per band"
        print(f"numpy {np.__version__}: {groups} groups, 20 bands, {kind}, ages 0 and 65, Mathers variance, "
              f"2 levels: {groups / best:,.0f} groups/s ({best * 1e3:.1f} ms, thread CPU, best of {repeats})")


if __name__ == "__main__":
    main()
