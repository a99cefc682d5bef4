"""Side-by-side timing and memory of the weighted concentration index at
register scale: jamlik vs a straightforward numpy implementation vs moveq-core.

Run:  .venv/bin/python benches/python/microdata_vs_peers.py [--n 10000000] [--repeats 3]
(needs `pip install -r benches/python/requirements.txt` for moveq-core).

Timing: every implementation in one process, interleaved (round-robin), best
of `repeats`, wall and CPU seconds, for a continuous ranking variable and for
one with about 100 distinct values (many ties). With `--memory`, each case
also runs in a fresh subprocess that records its peak RSS
(resource.getrusage maxrss) before and after the computation; the extra peak
memory per row is the delta divided by n. Writes
benches/python/results/microdata_vs_peers.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

CASES = {
    "jamlik CI + linearized SE": "jamlik_se",
    "jamlik CI (no SE)": "jamlik",
    "numpy CI (stable argsort + cumsum, midpoint ties)": "numpy",
    "numpy CI + KWvD SE": "numpy_se",
    "moveq-core compute_concentration_index": "moveq",
}


def numpy_ci(h, x, w, se=False):
    import numpy as np

    o = np.argsort(x, kind="stable")
    xs, ws, hs = x[o], w[o], h[o]
    n = xs.size
    total = ws.sum()
    new = np.empty(n, dtype=bool)
    new[0] = True
    np.not_equal(xs[1:], xs[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    block = np.cumsum(new) - 1
    bw = np.add.reduceat(ws, starts)
    r = ((np.cumsum(bw) - bw + bw / 2) / total)[block]
    wh = ws * hs
    mu = wh.sum() / total
    c = 2.0 * (wh * (r - 0.5)).sum() / (total * mu)
    if not se:
        return c, None
    bh = np.add.reduceat(wh, starts)
    q = np.cumsum(bh) / (total * mu)
    q_prev = q - bh / (total * mu)
    a = hs / mu * (2 * r - 1 - c) + 2 - q_prev[block] - q[block]
    var = ((ws * a * a).sum() / total - (1 + c) ** 2) / n
    return c, float(np.sqrt(max(var, 0.0)))


def worker(case: str, data_dir: str, repeats: int) -> None:
    import resource

    import numpy as np

    h = np.load(os.path.join(data_dir, "h.npy"))
    x = np.load(os.path.join(data_dir, "x.npy"))
    w = np.load(os.path.join(data_dir, "w.npy"))
    if case.startswith("jamlik"):
        import jamlik

        fn = lambda: jamlik.concentration_index(h, x, w, se="linearized" if case == "jamlik_se" else "none")  # noqa: E731
        out = lambda r: (r.estimate, r.se)  # noqa: E731
    elif case.startswith("numpy"):
        fn = lambda: numpy_ci(h, x, w, se=case == "numpy_se")  # noqa: E731
        out = lambda r: r  # noqa: E731
    else:
        from moveq_core import compute_concentration_index

        fn = lambda: compute_concentration_index(h, x, w, rank_direction="higher_is_advantaged")  # noqa: E731
        out = lambda r: (float(r), None)  # noqa: E731
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    best = float("inf")
    result = None
    for _ in range(repeats):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    est, se = out(result)
    print(json.dumps({"seconds": best, "extra_kib": after - before, "estimate": est, "se": se}))


def _case_fn(case: str, h, x, w):  # type: ignore[no-untyped-def]
    """The call a case times (on data already in memory)."""
    if case.startswith("jamlik"):
        import jamlik

        return lambda: jamlik.concentration_index(h, x, w, se="linearized" if case == "jamlik_se" else "none")
    if case.startswith("numpy"):
        return lambda: numpy_ci(h, x, w, se=case == "numpy_se")
    from moveq_core import compute_concentration_index

    return lambda: compute_concentration_index(h, x, w, rank_direction="higher_is_advantaged")


def _data(n: int, ties: bool):  # type: ignore[no-untyped-def]
    import numpy as np

    rng = np.random.default_rng(20240601)
    x = np.exp(rng.normal(10.0, 1.0, n)).round(2)
    h = 1.0 + np.exp(rng.normal(0.0, 0.8, n)) * (1.0 + np.log(x) / 20.0)
    w = rng.uniform(0.5, 3.0, n).round(3)
    if ties:
        x = np.floor(np.log(x) * 10.0)  # about 100 distinct values: income bands
    return h, x, w


def interleaved(n: int, repeats: int, ties: bool) -> dict[str, tuple[float, float]]:
    """Every case in this one process, round-robin, best of `repeats` (wall, CPU)."""
    h, x, w = _data(n, ties)
    fns = {label: _case_fn(case, h, x, w) for label, case in CASES.items()}
    best = {label: (float("inf"), float("inf")) for label in CASES}
    for _ in range(repeats):
        for label, fn in fns.items():
            t, c = time.perf_counter(), time.process_time()
            fn()
            wall, cpu = time.perf_counter() - t, time.process_time() - c
            best[label] = (min(best[label][0], wall), min(best[label][1], cpu))
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000_000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--memory", action="store_true", help="also measure peak memory, one subprocess per case")
    ap.add_argument("--worker")
    ap.add_argument("--data")
    args = ap.parse_args()
    if args.worker:
        worker(args.worker, args.data, args.repeats)
        return
    import numpy as np

    n = args.n
    lines = [
        f"# Weighted concentration index at n = {n:,} (one process, interleaved, best of {args.repeats}; "
        f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})",
        "",
        "| ranking variable | implementation | wall s | CPU s | jamlik CI+SE faster by (wall / CPU) |",
        "|---|---|---|---|---|",
    ]
    for ties in (False, True):
        kind = "~100 distinct values (ties)" if ties else "continuous"
        best = interleaved(n, args.repeats, ties)
        ours = best["jamlik CI + linearized SE"]
        for label, (wall, cpu) in best.items():
            lines.append(f"| {kind} | {label} | {wall:.3f} | {cpu:.3f} | {wall / ours[0]:.1f}× / {cpu / ours[1]:.1f}× |")
            print(lines[-1], flush=True)
    if args.memory:
        h, x, w = _data(n, False)
        lines += ["", "| implementation (continuous) | extra peak memory (bytes/row) | estimate | se |", "|---|---|---|---|"]
        with tempfile.TemporaryDirectory() as d:
            for name, arr in (("h", h), ("x", x), ("w", w)):
                np.save(os.path.join(d, f"{name}.npy"), arr)
            del x, h, w
            for label, case in CASES.items():
                proc = subprocess.run(
                    [sys.executable, __file__, "--worker", case, "--data", d, "--repeats", "1"],
                    capture_output=True,
                    text=True,
                )
                if proc.returncode != 0:
                    lines.append(f"| {label} | error | | |")
                    continue
                r = json.loads(proc.stdout.strip().splitlines()[-1])
                se = "" if r["se"] is None else f"{r['se']:.6g}"
                lines.append(f"| {label} | {r['extra_kib'] * 1024 / n:.1f} | {r['estimate']:.12f} | {se} |")
    table = "\n".join(lines) + "\n"
    print(table)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "microdata_vs_peers.md").write_text(table)


if __name__ == "__main__":
    main()
