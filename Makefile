# The single entry point. Two commands matter (see README):
#   make demo   creates .venv, builds, runs the main job on the embedded dataset
#   make test   creates .venv if missing, builds, runs every check
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# Test binaries built with --features python link libpython: tell them where it is.
PYLIBDIR = $(shell $(PY) -c "import sysconfig; print(sysconfig.get_config_var('LIBDIR') or '')")
PYENV    = PYO3_PYTHON=$(abspath $(PY)) LD_LIBRARY_PATH=$(PYLIBDIR):$$LD_LIBRARY_PATH

.PHONY: demo chromium test build venv fmt lint py-lint rust-test py-test doctest docs stubtest wheel sdist package-test bench bench-python clean

$(STAMP): requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

build: $(STAMP)
	VIRTUAL_ENV=$(abspath $(VENV)) $(VENV)/bin/maturin develop --release --quiet

# The municipality report (one self-contained HTML file) for the CLI's default municipality,
# its path, then the short text summary.
demo: build
	$(PY) -m jamlik report --out demo-report.html
	$(PY) -m jamlik demo

# Debian's chromium for the report's browser test (tests/python/test_report_chromium.py):
# installed quietly when missing, if root with apt; otherwise the test says why it skips.
chromium:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1 || \
	    { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1; }; }; } || \
	  echo "chromium is not installed and cannot be installed here (not root or no apt-get)"

fmt:
	cargo fmt

lint:
	cargo fmt --check
	cargo clippy --all-targets --all-features -- -D warnings
	cargo check --lib --no-default-features
	RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --features kolada-http,ndarray

# ruff and mypy --strict on the Python package (configured in pyproject.toml).
py-lint: $(STAMP)
	$(PY) -m ruff check python/jamlik tests/python
	$(PY) -m mypy

# Property tests draw from a fixed seed, so a CI run is reproducible; set another
# PROPTEST_RNG_SEED (e.g. `make rust-test PROPTEST_RNG_SEED=$RANDOM`) to explore new cases.
PROPTEST_RNG_SEED ?= 12
export PROPTEST_RNG_SEED

rust-test: $(STAMP)
	cargo test --features kolada-http --lib --bins --tests
	cargo test --features ndarray --lib --test ndarray_views -- columns views
	$(PYENV) cargo test --features python --lib --bins --tests
	cargo test --doc --features kolada-http

# pytest exits 5 when it collects no test; make treats any non-zero exit as failure.
# Two xdist workers (the 2-core CI machine). Each file runs whole on one worker (loadfile): its
# module fixtures (a Spark session, a rendered report, the fuzz's call count) are made once.
py-test: build java chromium
	$(PY) -m pytest -q -n 2 --dist loadfile tests/python

# The docstring examples of the Python package run.
doctest: build
	$(PY) -m pytest -q --doctest-modules python/jamlik

# The documentation site into site/: the API reference from the docstrings and the stub, the
# methods and errors pages, and docs/tutorial.ipynb executed end to end (nbclient, through
# mkdocs-jupyter). Strict: a broken reference or a failing notebook cell fails the build.
docs: build
	NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs build --strict --quiet

stubtest: build
	$(PY) -m mypy.stubtest jamlik._jamlik --allowlist tests/stubtest-allowlist.txt

# An abi3 wheel (one file for CPython >= 3.9) and the source distribution, into dist/.
wheel: $(STAMP)
	$(VENV)/bin/maturin build --release --out dist

sdist: $(STAMP)
	$(VENV)/bin/maturin sdist --out dist

# The wheel installs into a fresh venv and works with no Rust toolchain on PATH; the sdist
# and `cargo package` hold the embedded data; a plain Rust dependant of the packaged crate
# builds (in target/scratch) and compiles no pyo3/numpy/ureq/sha2/tempfile.
package-test: $(STAMP)
	MATURIN=$(abspath $(VENV))/bin/maturin PYTHON=$(PYTHON) tests/packaging/check_wheel.sh

# package-test last: it is the slowest and checks the installed artefacts.
test: lint py-lint rust-test py-test doctest docs stubtest package-test

bench:
	cargo bench

# Side-by-side Python benchmarks (installs the peers, e.g. moveq-core, first).
bench-python: build
	$(PY) -m pip install --quiet -r benches/python/requirements.txt
	for script in benches/python/*.py; do $(PY) $$script || exit 1; done

clean:
	cargo clean
	rm -rf $(VENV)

# jamlik.spark's tests need a Java runtime for local Spark: install Debian's
# headless OpenJDK when it is missing and we are root with apt (CI, dev machines).
.PHONY: java
java:
	@command -v java >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless; \
	  else echo "java is missing: install a Java 17+ runtime for the Spark tests"; fi; }
