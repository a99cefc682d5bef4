"""Side-by-side: parsing a Kolada data response into a long pandas frame.

jamlik.kolada.parse (Rust serde, one pass, GIL released) against the usual pure-Python
route (json.loads, flatten rows × genders the way pykolada does, pandas.DataFrame).
Synthetic response: 100 000 rows × 3 genders (one full 5000-row page is 1/20 of it).

    .venv/bin/python benches/python/kolada_parse.py
"""

from __future__ import annotations

import json
import time

import pandas as pd

from jamlik import kolada


def response(n_rows: int) -> str:
    rows = [
        {
            "kpi": f"N{i % 50:05d}",
            "municipality": f"{i % 290:04d}",
            "period": 2000 + i % 24,
            "values": [
                {"gender": g, "count": 1, "status": "", "value": (i * 7919 % 10007) / 97.0}
                for g in "TKM"
            ],
        }
        for i in range(n_rows)
    ]
    return json.dumps({"values": rows, "count": n_rows, "next_url": None})


def pure_python(text: str) -> pd.DataFrame:
    out = []
    for r in json.loads(text)["values"]:
        for v in r["values"]:
            out.append((r["kpi"], r["municipality"], r["period"], v["gender"], v["value"], v["count"], v["status"]))
    return pd.DataFrame(out, columns=list(kolada.COLUMNS))


def best(f, text: str, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        f(text)
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    text = response(100_000)
    a = kolada.parse(text)
    b = pure_python(text)
    assert len(a) == len(b) == 300_000
    assert (a["value"].to_numpy() == b["value"].to_numpy()).all()
    t_j = best(kolada.parse, text)
    t_p = best(pure_python, text)
    print(f"response: {len(text) / 1e6:.1f} MB, 300000 observations")
    print(f"jamlik.kolada.parse      {t_j * 1e3:8.1f} ms")
    print(f"json + flatten + pandas  {t_p * 1e3:8.1f} ms   ({t_p / t_j:.1f}x slower)")


if __name__ == "__main__":
    main()
