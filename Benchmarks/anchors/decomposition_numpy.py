#!/usr/bin/env python3
"""Speed anchor: the batched Arriaga work of LifeExpectancyDecomposition.batch, in plain vectorised NumPy.

METHODS.md §10 (Arriaga's decomposition of the gap in e0 between two Chiang II life tables, by
age band and by cause) for G pairs of 20-band groups at once, loops only over the 20 bands.
Same work as the Swift suite "Decomposition": cause checks (non-negative, Σ causes <= deaths),
the §5 group rules and the rule on e0 for both sides, both life tables, direct / indirect /
interaction / total per band, and each of 8 causes and the residual per band. Prints pairs/s
of thread CPU time (time.thread_time, as the Swift suites measure).

Usage: python3 decomposition_numpy.py [--symmetric] [pairs ...]   (default: 10000 100000)
"""
import sys
import time

import numpy as np

from life_table_numpy import Z95, life_table_columns, life_table_se, synthetic_groups

CAUSES = 8
TOLERANCE = 1e-9


def synthetic_side(pairs, seed):
    D, P = synthetic_groups(pairs, seed)
    rng = np.random.default_rng(seed ^ 0xCA05E)
    named = np.floor(D * 0.95)
    shares = rng.dirichlet(np.ones(CAUSES), size=D.shape)
    C = np.floor(named[:, :, None] * shares)
    return D, P, C


def side_table(D, P):
    ok = (np.isfinite(D) & np.isfinite(P) & (D >= 0) & (P > 0) & (D <= P)).all(axis=1)
    ok &= P.sum(axis=1) > 5000
    M, q, l, d, L, T, e = life_table_columns(D, P)
    se, _ = life_table_se(D, M, q, l, d, e)
    ok &= np.isfinite(e[:, 0]) & ~(Z95 * se[:, 0] > 10)
    return ok, M, l, L, T, e


def arriaga(l1, L1, T1, l2, L2, T2):
    """direct, indirect, interaction, total (G, 20) for 1 -> 2."""
    radix = l1[:, [0]]
    direct = np.empty_like(l1)
    indirect = np.zeros_like(l1)
    both = np.zeros_like(l1)
    direct[:, :19] = l1[:, :19] / radix * (L2[:, :19] / l2[:, :19] - L1[:, :19] / l1[:, :19])
    both[:, :19] = T2[:, 1:] / radix * (l1[:, :19] / l2[:, :19] - l1[:, 1:] / l2[:, 1:])
    indirect[:, :19] = T1[:, 1:] / radix * (l1[:, :19] * l2[:, 1:] / (l2[:, :19] * l1[:, 1:]) - 1)
    direct[:, 19] = l1[:, 19] / radix[:, 0] * (T2[:, 19] / l2[:, 19] - T1[:, 19] / l1[:, 19])
    return direct, indirect, both - indirect, direct + both


def decompose_batch(side1, side2, symmetric):
    (D1, P1, C1), (D2, P2, C2) = side1, side2
    for D, C in ((D1, C1), (D2, C2)):
        if not ((C >= 0) & np.isfinite(C) | np.isnan(C)).all():
            raise ValueError("deaths by cause must be non-negative numbers")
        if (np.nansum(C, axis=2) > D + TOLERANCE * D).any():
            raise ValueError("deaths by cause sum to more than all deaths")
    with np.errstate(divide="ignore", invalid="ignore"):
        ok1, M1, l1, L1, T1, e1 = side_table(D1, P1)
        ok2, M2, l2, L2, T2, e2 = side_table(D2, P2)
        direct, indirect, interaction, total = arriaga(l1, L1, T1, l2, L2, T2)
        if symmetric:
            rd, ri, rx, rt = arriaga(l2, L2, T2, l1, L1, T1)
            direct, indirect, interaction, total = (
                (direct - rd) / 2, (indirect - ri) / 2, (interaction - rx) / 2, (total - rt) / 2)
        difference = M2 - M1
        scale = np.where(difference == 0, 0.0, total / difference)
        c1, c2 = np.nan_to_num(C1), np.nan_to_num(C2)
        causes = np.empty(D1.shape + (CAUSES + 1,))
        causes[:, :, :CAUSES] = scale[:, :, None] * (c2 / P2[:, :, None] - c1 / P1[:, :, None])
        other1, other2 = D1 - c1.sum(axis=2), D2 - c2.sum(axis=2)
        causes[:, :, CAUSES] = scale * (other2 / P2 - other1 / P1)
        ok = ok1 & ok2 & np.isfinite(total).all(axis=1)
        for array in (direct, indirect, interaction, total):
            array[~ok] = np.nan
        causes[~ok] = np.nan
        e1 = np.where(ok, e1[:, 0], np.nan)
        e2 = np.where(ok, e2[:, 0], np.nan)
    return e1, e2, direct, indirect, interaction, total, causes


def main():
    args = sys.argv[1:]
    symmetric = "--symmetric" in args
    sizes = [int(a) for a in args if a != "--symmetric"] or [10_000, 100_000]
    for pairs in sizes:
        side1 = synthetic_side(pairs, 20240611)
        side2 = synthetic_side(pairs, 1990)
        e1, e2, _, _, _, total, causes = decompose_batch(side1, side2, symmetric)
        assert abs(total[1].sum() - (e2[1] - e1[1])) < 1e-9 * max(1, abs(e2[1] - e1[1]))
        assert abs(causes[1].sum(axis=1) - total[1]).max() < 1e-9
        best = float("inf")
        repeats = max(3, min(20, 200_000 // pairs))
        for _ in range(repeats):
            t0 = time.thread_time()
            out = decompose_batch(side1, side2, symmetric)
            best = min(best, time.thread_time() - t0)
        assert out[5].shape == (pairs, 20)
        kind = "symmetric" if symmetric else "one direction"
        print(f"numpy {np.__version__}: {pairs} pairs, 20 bands, {CAUSES} causes + residual, {kind}: "
              f"{pairs / best:,.0f} pairs/s ({best * 1e3:.1f} ms, thread CPU, best of {repeats})")


if __name__ == "__main__":
    main()
