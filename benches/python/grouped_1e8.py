"""Register scale: the weighted concentration index with its linearised SE for
1,000 groups (municipality x year, say) over 10^8 person-rows in ONE grouped
call, with rows/s and memory.

Run (the peak memory of the whole process is what `/usr/bin/time -v` reports
as "Maximum resident set size"):

    /usr/bin/time -v .venv/bin/python benches/python/grouped_1e8.py --rows 100000000

The inputs (float64 outcome, ranking variable and weights, int64 group codes:
32 B/row, 3.2 GB at 10^8) are generated chunk by chunk straight into their
arrays, so generation needs no temporaries of the full length. The script
prints the peak resident set after generation (the inputs) and after the
call, and the difference per row: the memory the grouped call needs beyond
its inputs. Optionally (`--single`) it also times one index over all rows.
"""

from __future__ import annotations

import argparse
import resource
import time

import jamlik
import numpy as np

CHUNK = 10_000_000


def peak_bytes() -> int:
    """Peak resident set of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def current_bytes() -> int:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def generate(n: int, groups: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Outcome, income (continuous ranking variable), weights, group codes."""
    rng = np.random.default_rng(seed)
    health = np.empty(n)
    income = np.empty(n)
    weights = np.empty(n)
    key = np.empty(n, dtype=np.int64)
    for a in range(0, n, CHUNK):
        b = min(n, a + CHUNK)
        inc = income[a:b]
        rng.standard_normal(out=inc)
        np.multiply(inc, 0.6, out=inc)
        np.add(inc, 10.0, out=inc)
        np.exp(inc, out=inc)
        h = health[a:b]
        rng.standard_gamma(2.0, out=h)
        h += inc * 1e-6
        w = weights[a:b]
        rng.random(out=w)
        w += 0.5
        key[a:b] = rng.integers(0, groups, b - a)  # rows of a group scattered
    return health, income, weights, key


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=float, default=1e8)
    p.add_argument("--groups", type=int, default=1_000)
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--single", action="store_true", help="also time one index over all rows")
    args = p.parse_args()
    n = int(args.rows)
    t0 = time.perf_counter()
    health, income, weights, key = generate(n, args.groups, 2026)
    gen = time.perf_counter() - t0
    inputs_rss = current_bytes()
    inputs_peak = peak_bytes()
    print(f"rows {n:,}, groups {args.groups:,}, generated in {gen:.1f} s; "
          f"inputs {sum(a.nbytes for a in (health, income, weights, key)) / 1e9:.2f} GB, "
          f"RSS {inputs_rss / 1e9:.2f} GB (peak {inputs_peak / 1e9:.2f} GB)")
    best_wall, best_cpu = float("inf"), float("inf")
    for _ in range(args.repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        res = jamlik.concentration_index(health, income, weights, by=key)
        best_wall = min(best_wall, time.perf_counter() - w0)
        best_cpu = min(best_cpu, time.process_time() - c0)
        assert len(res) == args.groups and np.isfinite(res["se"]).all()
        del res
    peak = peak_bytes()
    print(f"grouped CI + linearised SE, weighted: wall {best_wall:.2f} s, CPU {best_cpu:.2f} s, "
          f"{n / best_wall / 1e6:.1f} M rows/s (wall)")
    print(f"peak RSS {peak / 1e9:.2f} GB; beyond the inputs {(peak - inputs_rss) / 1e9:.2f} GB = "
          f"{(peak - inputs_rss) / n:.1f} B/row")
    if args.single:
        w0, c0 = time.perf_counter(), time.process_time()
        one = jamlik.concentration_index(health, income, weights)
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0
        print(f"one index over all rows: wall {wall:.2f} s, CPU {cpu:.2f} s, value {one.value:.6f}; "
              f"peak RSS now {peak_bytes() / 1e9:.2f} GB")


if __name__ == "__main__":
    main()
