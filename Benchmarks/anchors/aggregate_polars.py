"""Anchor for issue 4: the aggregate job in polars, for timing against `healthgap aggregate`.

Reads a `healthgap synth` counts file (plain or gzip) and the IMD 2019 ranks file (plain CSV:
decompress Data/imd2019/imd2019_lsoa11_ranks.csv.gz first), joins each row to its LSOA's local
authority and national IMD decile, sums population and deaths by
la × decile × sex × age_band × year and writes a CSV sorted by those keys.

    python3 aggregate_polars.py COUNTS.csv IMD_RANKS.csv OUT.csv
"""

import sys

import polars as pl


def main(counts: str, ranks: str, output: str) -> None:
    # Columns 0, 2 and 5 of IMD File 1: LSOA code, district code, IMD decile (the rank column
    # with its quoted thousands is not needed).
    lookup = pl.read_csv(ranks).select(
        pl.nth(0).alias("lsoa_code"), pl.nth(2).alias("la"), pl.nth(5).alias("decile")
    )
    result = (
        pl.scan_csv(counts)
        .join(lookup.lazy(), on="lsoa_code", how="inner")
        .group_by(["la", "decile", "sex", "age_band", "year"])
        .agg(pl.col("population").sum(), pl.col("deaths").sum())
        .sort(["la", "decile", "sex", "age_band", "year"])
        .collect()
    )
    result.write_csv(output)


if __name__ == "__main__":
    main(*sys.argv[1:4])
