# healthgap — the two commands a user needs: `make demo` and `make test`.
# Every target first installs the Debian packages it links against when they are missing.

SWIFT ?= swift
BIN := .build/release/healthgap

.PHONY: all deps build test demo experiment-demo england-data england-benchmark bench lint fuzz clean

all: build

deps:
	@bash scripts/install-system-deps.sh

build: deps
	$(SWIFT) build -c release --product healthgap

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# The demo: synthetic Cheshire and Merseyside counts (healthgap synth, into the git-ignored demo/),
# the plan Data/plans/cheshire-and-merseyside.yaml run on them into demo/output, and where the tables are.
demo: build
	@bash scripts/demo.sh $(BIN)

# The two worked method experiments of Data/experiments/ (issue 13): SII coverage by decile
# population size, and life-expectancy bias at small populations, published in demo/experiments/.
experiment-demo: build
	@mkdir -p demo/experiments
	@for name in sii-coverage-by-decile-size le-bias-small-populations; do \
		$(BIN) experiment Data/experiments/$$name.yaml --output demo/experiments/$$name || exit $$?; \
	done
	@echo "experiment-demo: demo/experiments/*/experiment.csv and experiment.html"

# The England 10-year synthetic file (about 13 million rows, 400 MB) for Data/plans/england-benchmark.yaml.
england-data: build
	@bash scripts/england-data.sh $(BIN)

# The England benchmark plan (issue 5): 15,216 jobs and SIIs at 100,000 repetitions, timed.
england-benchmark: england-data
	@bash scripts/england-benchmark.sh $(BIN)

bench: deps
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark thresholds check

# libFuzzer targets (Fuzz/, scripts/fuzz.sh): each target in turn for SECONDS; crashes are kept in
# .build/fuzz/artifacts/<target>/ and each becomes a regression test in Tests/CSVStreamTests.
SECONDS ?= 60
fuzz: deps
	@for target in $$(bash scripts/fuzz.sh list); do bash scripts/fuzz.sh $$target $(SECONDS) || exit 1; done

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Fuzz Benchmarks/BenchmarkSupport Benchmarks/SIIInputs Benchmarks/CSVReaders Benchmarks/SII Benchmarks/LifeTable Benchmarks/LifeTableInputs Benchmarks/HealthyLifeExpectancy Benchmarks/Decomposition Benchmarks/DSR Benchmarks/Ingest Benchmarks/SIIProfile Benchmarks/HistoryStore

clean:
	rm -rf .build demo
