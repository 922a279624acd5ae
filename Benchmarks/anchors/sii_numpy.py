"""NumPy anchor for the SII simulation: the literal method of METHODS.md section 6, vectorised.

One 10-decile group (the reference fixture's area 1), R = 100,000 repetitions, 95% limits,
RII on. Draws Y ~ Normal(f(v), se) as one k x R matrix, back-transforms (exp for rates),
refits every repetition with one matrix product B = H @ Y, sorts the slopes and ratios and
reads the order statistics at round(R(1 - c')) and round(R c'). Prints the median time per
group for value type 0 and for untransformed rates, and checks the limits against the fixture.

Run: OPENBLAS_NUM_THREADS=1 python3 Benchmarks/anchors/sii_numpy.py   (numpy >= 2; one BLAS thread, as
healthgap pins OpenBLAS to one; times are CPU time of the process).
Written from the formulas in METHODS.md; it is a timing anchor, not part of the package.
"""
import time

import numpy as np

R = 100_000
LEVEL = 0.95

LIFE_EXPECTANCY = dict(
    populations=[7291.0, 7997, 6105, 7666, 5790, 6934, 5918, 5974, 7147, 7534],
    values=[75.9334590103081, 78.3442382727843, 83.8360631041654, 83.6375399664931, 80.4655031529559,
            81.1156759857022, 81.6930835718562, 84.1900062060987, 80.5955641081472, 86.2894349578624],
    standard_errors=[1.638472426358545, 1.578192884542907, 1.5134355059640296, 1.7754906175801293, 1.7013390591981388,
                     1.56412107376755, 1.3681148366878566, 1.4001418005940802, 2.4328463975781616, 1.5665181695934678],
    value_type=0, expected=(3.127594617650817, 10.7586873680794))
RATE = dict(
    populations=[279012.0, 255993, 236961, 214315, 192812, 183546, 168593, 164822, 154836, 138165],
    values=[5.892219689475721, 4.7345044591063035, 3.827634083245766, 3.8681380211371112, 3.6771570234217785,
            3.1436261209723995, 3.1258711808912585, 2.942568346458604, 2.82879950399132, 2.7648101907140012],
    standard_errors=[0.02458749781093432, 0.028651772387909245, 0.03313428067829554, 0.03465674221781768,
                     0.03747737394554521, 0.041552591866051265, 0.04347834474318538, 0.045324801522114426,
                     0.04769567606225466, 0.05107105401330555],
    value_type=1, expected=(-3.5868233016744155, -2.9653170017272723))


def design(populations):
    """H = (X'X)^-1 X' diag(sqrt(a)) for X = [sqrt(a), b sqrt(a)]: beta = H @ y."""
    a = populations / populations.sum()
    b = np.cumsum(a) - a / 2
    x = np.column_stack([np.sqrt(a), b * np.sqrt(a)])
    return np.linalg.solve(x.T @ x, x.T * np.sqrt(a))


def sii_limits(group, rng):
    populations = np.asarray(group["populations"])
    values = np.asarray(group["values"])
    se = np.asarray(group["standard_errors"])
    value_type = group["value_type"]
    h = design(populations)
    means = np.log(values) if value_type == 1 else values
    y = means[:, None] + se[:, None] * rng.standard_normal((len(values), R))
    if value_type == 1:
        np.exp(y, out=y)
    beta = h @ y
    slopes = np.sort(beta[1])
    ratios = np.sort((beta[0] + beta[1]) / beta[0])
    upper_tail = LEVEL + (1 - LEVEL) / 2
    low = int(np.round(R * (1 - upper_tail))) - 1
    high = int(np.round(R * upper_tail)) - 1
    return slopes[low], slopes[high], ratios[low], ratios[high]


def median_time(group, repeats=31):
    rng = np.random.default_rng(2004)
    times = []
    for _ in range(repeats):
        start = time.process_time()
        result = sii_limits(group, rng)
        times.append(time.process_time() - start)
    lower, upper = group["expected"]
    allowed = 0.05 * (upper - lower) / 2
    assert abs(result[0] - lower) <= allowed and abs(result[1] - upper) <= allowed, (result, group["expected"])
    return float(np.median(times))


if __name__ == "__main__":
    print(f"numpy {np.__version__}, one 10-decile group, R = {R:,}, 95% limits, RII on, CPU time")
    print(f"value type 0 (literal, sort): median {median_time(LIFE_EXPECTANCY) * 1e3:.1f} ms per group")
    print(f"rate untransformed (literal, sort): median {median_time(RATE) * 1e3:.1f} ms per group")
