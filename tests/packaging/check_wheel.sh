#!/usr/bin/env bash
# Packaging check (`make package-test`): the wheel installs and works in a fresh
# venv with no Rust toolchain on PATH, the sdist holds what a source build needs,
# and the crate packaged by `cargo package` builds for a plain Rust dependant that
# compiles no pyo3/numpy/ureq/sha2/tempfile.
#
# Usage: tests/packaging/check_wheel.sh [python]   (run from the repository root)
# Env:   MATURIN (default .venv/bin/maturin), PYTHON for the fresh venv (default python3.11).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
PYTHON=${1:-${PYTHON:-python3.11}}
MATURIN=${MATURIN:-$ROOT/.venv/bin/maturin}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/jamlik-pkg.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
step() { printf '\n== %s (%ss)\n' "$1" "$SECONDS"; }
fail() { echo "package-test: FAIL: $*" >&2; exit 1; }

# --- 1. wheel -----------------------------------------------------------------
step "wheel: maturin build --release"
"$MATURIN" build --release --quiet --out "$TMP/dist" >/dev/null
WHEEL=$(ls "$TMP"/dist/jamlik-*.whl)
case "$WHEEL" in *-abi3-*) ;; *) fail "not an abi3 wheel: $WHEEL" ;; esac
echo "built $(basename "$WHEEL")"

step "fresh venv + pip install (numpy, pandas from PyPI)"
"$PYTHON" -m venv "$TMP/venv"
"$TMP/venv/bin/python" -m pip install --quiet --disable-pip-version-check "$WHEEL"

step "smoke test with no cargo/rustc on PATH"
cat > "$TMP/smoke.py" <<'PY'
import importlib
import math
import shutil

assert shutil.which("cargo") is None, "cargo is on PATH"
assert shutil.which("rustc") is None, "rustc is on PATH"

import jamlik

assert "site-packages" in jamlik.__file__, jamlik.__file__
for name in ("heat", "indicators", "goals", "report", "kolada", "datasets", "microdata"):
    importlib.import_module(f"jamlik.{name}")
from jamlik import datasets, heat, indicators, kolada, microdata, report

summary = heat.summary(heat.example(), by="dimension")
assert len(summary) > 0, "heat.summary is empty"

ci = microdata.concentration_index([1.0, 2.0, 3.0, 4.0], [4.0, 3.0, 2.0, 1.0])
value = ci.value if hasattr(ci, "value") else ci["value"]
assert math.isfinite(float(value)) and float(value) < 0, ci
g = microdata.gini([1.0, 2.0, 3.0, 4.0])
gv = float(g.value if hasattr(g, "value") else g["value"])
assert abs(gv - 0.25) < 1e-12, g

prop = indicators.proportion([5, 10], [100, 200])
assert len(prop) == 2, prop

follow = report.follow_up(180)
assert len(follow) > 0 and follow.attrs.get("synthetic") is True, follow.attrs

tiny = '{"values": [{"kpi": "N00307", "municipality": "1984", "period": 2024,' \
       ' "values": [{"gender": "T", "count": 1, "status": "", "value": 47.25}]}]}'
parsed = kolada.parse(tiny)
assert list(parsed["value"]) == [47.25] and list(parsed["area"]) == ["1984"], parsed

geo = datasets.geography()
assert len(geo) > 300, len(geo)
print(f"smoke ok: jamlik {getattr(jamlik, '__version__', '?')} from {jamlik.__file__}")
PY
env -i HOME="$TMP" PATH="$TMP/venv/bin:/usr/bin:/bin" "$TMP/venv/bin/python" "$TMP/smoke.py"

# --- 2. sdist -----------------------------------------------------------------
step "sdist: maturin sdist"
"$MATURIN" sdist --out "$TMP/sdist" >/dev/null
SDIST=$(ls "$TMP"/sdist/jamlik-*.tar.gz)
tar tzf "$SDIST" > "$TMP/sdist.txt"
for want in Cargo.toml src/lib.rs python/jamlik/__init__.py data/catalogue/ data/geography/ data/demo/; do
    grep -q "^jamlik-0.1.0/$want" "$TMP/sdist.txt" || fail "sdist lacks $want"
done
echo "$(basename "$SDIST"): $(wc -l < "$TMP/sdist.txt") files"

# --- 3. cargo package ------------------------------------------------------------
step "cargo package --list: every embedded file is packaged"
cargo package --allow-dirty --no-verify --list --quiet 2>/dev/null > "$TMP/crate.txt"
embedded=$(grep -rhoE 'include_(str|bytes)!\("[^"]+"\)' src | while IFS= read -r inc; do
    rel=$(sed -E 's/.*\("([^"]+)"\)/\1/' <<<"$inc")
    file=$(grep -rlF "$inc" src | head -1)
    realpath --relative-to="$ROOT" -m "$(dirname "$file")/$rel"
done | sort -u)
[ -n "$embedded" ] || fail "found no include_str!/include_bytes! in src/"
for f in $embedded; do
    grep -qxF "$f" "$TMP/crate.txt" || fail "embedded file $f is not in the crate package"
    echo "packaged: $f"
done

step "scratch crate depending on the packaged jamlik (default features)"
cargo package --allow-dirty --no-verify --quiet 2>/dev/null
PKG="$ROOT/target/package/jamlik-0.1.0"
rm -rf "$PKG"
tar xzf "$ROOT/target/package/jamlik-0.1.0.crate" -C "$ROOT/target/package"
mkdir -p "$TMP/scratch/src"
cat > "$TMP/scratch/Cargo.toml" <<TOML
[package]
name = "jamlik-scratch"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
jamlik = { path = "$PKG" }

[workspace]
TOML
cat > "$TMP/scratch/src/main.rs" <<'RS'
use jamlik::data::{DemoData, DemoOptions, Geography};
use jamlik::goals::Catalogue;
use jamlik::goals::follow_up::{FollowUpOptions, follow_up};
use jamlik::measures::heat::{Measure, Options, Subgroups, measure};
use jamlik::measures::microdata::{ConcentrationOptions, Design, concentration_index};

fn main() -> jamlik::Result<()> {
    let quintiles = Subgroups::new(&[38.2, 45.6, 51.9, 60.3, 71.4])
        .se(&[2.41, 2.27, 2.18, 2.05, 1.87])
        .population(&[212_400.0, 198_700.0, 187_300.0, 176_900.0, 160_200.0])
        .subgroup_order(&[1.0, 2.0, 3.0, 4.0, 5.0])
        .scale(100.0)
        .build()?;
    let sii = measure(Measure::Sii, &quintiles, &Options::default())?;
    println!("heat sii {}", sii.value);

    let ci = concentration_index(
        &[1.0, 2.0, 3.0, 4.0],
        &[4.0, 3.0, 2.0, 1.0],
        Design::default(),
        &ConcentrationOptions::default(),
    )?;
    println!("concentration index {}", ci.estimate.value);

    let geo = Geography::embedded()?;
    let catalogue = Catalogue::shipped()?;
    let demo = DemoData::generate(&DemoOptions::default())?;
    let follow = follow_up(&demo, &geo, &catalogue, "0180", &FollowUpOptions::default())?;
    let csv = follow.table().to_csv();
    println!("follow-up rows {}", csv.lines().count().saturating_sub(1));
    Ok(())
}
RS
# Keep the resolved versions of the repository's lock file (they are cached).
cp "$ROOT/Cargo.lock" "$TMP/scratch/Cargo.lock"
export CARGO_TARGET_DIR="$ROOT/target/scratch"
cargo build --quiet --manifest-path "$TMP/scratch/Cargo.toml"
"$CARGO_TARGET_DIR/debug/jamlik-scratch" | tee "$TMP/scratch.out"
grep -qE '^heat sii [0-9.]+$' "$TMP/scratch.out" || fail "no HEAT SII"
grep -qE '^concentration index -[0-9.]+$' "$TMP/scratch.out" || fail "no concentration index"
grep -qE '^follow-up rows [1-9][0-9]*$' "$TMP/scratch.out" || fail "empty follow-up"

step "cargo tree -e normal: no python or kolada-client dependencies"
cargo tree --quiet -e normal --prefix none --manifest-path "$TMP/scratch/Cargo.toml" > "$TMP/tree.txt"
if grep -E '^(pyo3|numpy|ureq|sha2|tempfile)[ -]' "$TMP/tree.txt"; then
    fail "the scratch crate's normal dependencies include the crates above"
fi
echo "$(sort -u "$TMP/tree.txt" | wc -l) normal dependencies, none of pyo3/numpy/ureq/sha2/tempfile"

step "package-test passed"
