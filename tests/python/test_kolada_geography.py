"""scripts/refresh_geography.py against the mock Kolada server: exact output format,
atomic replacement, failure leaves the previous files untouched."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from kolada_mock_server import GEOGRAPHY_ROUTES, MockKolada

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "refresh_geography.py"

AREAS_HEADER = "id,title,type,county_code,region_id,skr_group_code,skr_group_id,similar_group_id,similar_group_year,similar_ids"
EXPECTED_AREAS = [
    AREAS_HEADER,
    "0000,Riket,L,,,,,,,",
    "0001,Region Stockholm,L,01,,,,,,",
    "0019,Region Västmanland,L,19,,,,,,",
    "0114,Upplands Väsby,K,01,0001,A2,G92793,G176434,2024,0123;1980",
    "0123,Järfälla,K,01,0001,A2,G92793,,,",
    "0180,Stockholm,K,01,0001,A1,G92787,G176500,2024,0123",
    "1980,Västerås,K,19,0019,B3,G92790,,,",
    "1984,Arboga,K,19,0019,B5,G92786,G176199,2024,0114;0123;1980",
]
EXPECTED_SKR = [
    "code,name,kolada_group_id",
    "A1,Storstäder,G92787",
    "A2,Pendlingskommun nära storstad,G92793",
    "B3,Större stad,G92790",
    "B4,Pendlingskommun nära större stad,G92792",
    "B5,Lågpendlingskommun nära större stad,G92786",
    "C6,Mindre stad/tätort,G92788",
    "C7,Pendlingskommun nära mindre tätort,G92789",
    "C8,Landsbygdskommun,G92791",
    "C9,Landsbygdskommun med besöksnäring,G92794",
]


def run(out: Path, base: str, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable, str(SCRIPT), "--out", str(out), "--base-url", base, "--allow-http",
            "--retries", "1", "--backoff", "0.001", *extra,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_writes_the_agreed_format(tmp_path: Path) -> None:
    out = tmp_path / "geography"
    with MockKolada(GEOGRAPHY_ROUTES) as srv:
        res = run(out, srv.base)
    assert res.returncode == 0, res.stderr
    assert (out / "areas.csv").read_text(encoding="utf-8").splitlines() == EXPECTED_AREAS
    assert (out / "skr_groups.csv").read_text(encoding="utf-8").splitlines() == EXPECTED_SKR
    assert sorted(p.name for p in out.iterdir()) == ["areas.csv", "skr_groups.csv"], "no temporary files left"
    # Small fixture geography: the count check warns, --strict turns warnings into failure.
    assert "expected 290" in res.stderr
    assert "0123 Järfälla has no socioeconomic" in res.stderr
    with open(out / "areas.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert all(len(r["id"]) == 4 for r in rows)


def test_failure_leaves_previous_files_untouched(tmp_path: Path) -> None:
    out = tmp_path / "geography"
    out.mkdir()
    (out / "areas.csv").write_text("previous\n", encoding="utf-8")
    (out / "skr_groups.csv").write_text("previous\n", encoding="utf-8")
    routes = dict(GEOGRAPHY_ROUTES)
    routes["/v3/municipality_groups?page=2"] = lambda t, n: (500, {}, "{}")
    with MockKolada(routes) as srv:
        res = run(out, srv.base)
        assert res.returncode == 2
        assert "HTTP 500" in res.stderr
        strict = run(out, srv.base, "--strict")
        assert strict.returncode != 0
    assert (out / "areas.csv").read_text(encoding="utf-8") == "previous\n"
    assert (out / "skr_groups.csv").read_text(encoding="utf-8") == "previous\n"
    assert sorted(p.name for p in out.iterdir()) == ["areas.csv", "skr_groups.csv"]


def test_strict_mode_refuses_an_incomplete_geography(tmp_path: Path) -> None:
    with MockKolada(GEOGRAPHY_ROUTES) as srv:
        res = run(tmp_path / "g", srv.base, "--strict")
    assert res.returncode == 1
    assert not (tmp_path / "g" / "areas.csv").exists()


def test_build_checks_against_the_shared_snapshot() -> None:
    """Rebuild the 2026 geography from the shared snapshot tables (as if Kolada had
    served them) and compare with the shared municipalities.csv row by row."""
    from conftest import shared_path

    sys.path.insert(0, str(SCRIPT.parent))
    try:
        import refresh_geography as rg
    finally:
        sys.path.pop(0)
    munis_path = shared_path("reference", "kolada", "municipalities.csv")
    skr_path = shared_path("reference", "kolada", "skr_municipality_groups.csv")
    sim_path = shared_path("reference", "kolada", "similar_municipalities_socioeconomic.csv")
    with open(munis_path, newline="", encoding="utf-8") as f:
        ref = list(csv.DictReader(f))
    municipalities = [{"id": r["id"], "title": r["title"], "type": r["type"]} for r in ref]
    groups = []
    with open(skr_path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            groups.append({"id": r["kolada_group_id"], "title": r["kolada_group_title"],
                           "members": [{"id": m, "title": ""} for m in r["member_ids"].split(";")]})
    sim = {}
    with open(sim_path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            sim[r["municipality_id"]] = r
            groups.append({"id": r["group_id"], "title": r["group_title"],
                           "members": [{"id": m, "title": ""} for m in r["member_ids"].split(";")]})
    rows, skr_rows, warnings = rg.build(municipalities, groups)
    assert warnings == []
    assert len(rows) == 312
    by_id = {r["id"]: r for r in rows}
    for r in ref:
        ours = by_id[r["id"]]
        assert ours["skr_group_code"] == r["skr_group_code"], r["id"]
        assert ours["skr_group_id"] == r["skr_group_id"], r["id"]
        assert ours["similar_group_id"] == r["similar_socioeconomic_group_id"], r["id"]
        if ours["type"] == "K":
            assert ours["county_code"] == r["county_code"] and ours["region_id"] == r["region_id"]
            assert ours["similar_ids"] == ";".join(sorted(sim[r["id"]]["member_ids"].split(";")))
        else:
            assert ours["county_code"] == r["county_code"]
    assert [(s["code"], s["kolada_group_id"]) for s in skr_rows] == [
        ("A1", "G92787"), ("A2", "G92793"), ("B3", "G92790"), ("B4", "G92792"), ("B5", "G92786"),
        ("C6", "G92788"), ("C7", "G92789"), ("C8", "G92791"), ("C9", "G92794"),
    ]
