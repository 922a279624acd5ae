# healthgap — the two commands a user needs: `make demo` and `make test`.
# Every target first installs the Debian packages it links against when they are missing.

SWIFT ?= swift
BIN := .build/release/healthgap

.PHONY: all deps build test demo bench lint clean

all: build

deps:
	@bash scripts/install-system-deps.sh

build: deps
	$(SWIFT) build -c release --product healthgap

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

demo: build
	@bash scripts/demo.sh $(BIN)

bench: deps
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark thresholds check

lint:
	$(SWIFT) format lint --recursive Sources Tests Benchmarks/SII Benchmarks/LifeTable Benchmarks/DSR Benchmarks/Ingest Benchmarks/SIIProfile

clean:
	rm -rf .build demo
