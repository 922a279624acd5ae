# Anchor for issue 4: the aggregate job in R data.table, for timing against `healthgap aggregate`.
#
# Reads a `healthgap synth` counts file and the IMD 2019 ranks file (plain CSV: decompress
# Data/imd2019/imd2019_lsoa11_ranks.csv.gz first), joins each row to its LSOA's local authority
# and national IMD decile, sums population and deaths by la x decile x sex x age_band x year and
# writes a CSV sorted by those keys. Uses every core (setDTthreads(0)).
#
#   Rscript aggregate_datatable.R COUNTS.csv IMD_RANKS.csv OUT.csv
suppressPackageStartupMessages(library(data.table))
setDTthreads(0)
args <- commandArgs(trailingOnly = TRUE)
lookup <- fread(args[2], select = c(1L, 3L, 6L), col.names = c("lsoa_code", "la", "decile"))
counts <- fread(args[1])
joined <- lookup[counts, on = "lsoa_code", nomatch = NULL]
result <- joined[, .(population = sum(population), deaths = sum(deaths)),
                 keyby = .(la, decile, sex, age_band, year)]
fwrite(result, args[3])
