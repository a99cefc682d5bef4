"""Command line: ``python -m jamlik demo [--municipality <id or name>]`` (the text follow-up)
and ``python -m jamlik report ...`` (the HTML municipality report; ``--help`` lists options)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Optional

#: Municipality the CLI shows when none is given: 1984 Arboga (Västmanland, SKR group C7).
#: Only the command line has a default; the library functions require the municipality.
CLI_MUNICIPALITY = "1984"


def _demo(args: argparse.Namespace) -> int:
    import jamlik
    from jamlik import JamlikError
    from jamlik.report import follow_up, format_follow_up, format_gaps, gaps

    try:
        data = jamlik.datasets.demo()
        frame = follow_up(args.municipality, data, at=args.year)
        gap_frame = gaps(args.municipality, data, at=args.year)
    except JamlikError as e:
        print(f"jamlik demo: {e}", file=sys.stderr)
        return 2
    print(f"jamlik {jamlik.__version__}")
    text = format_follow_up(frame, width=args.width)
    # The gaps section goes before the closing rule, label and credit of the follow-up.
    rule = "=" * args.width
    head, sep, tail = text.rpartition(rule)
    print(head + format_gaps(gap_frame, width=args.width) + "\n" + sep + tail if sep else text + format_gaps(gap_frame))
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    from jamlik.report import cli

    parser = argparse.ArgumentParser(prog="jamlik", description="Health goals and health equity.")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser(
        "demo",
        help="one municipality's goal follow-up from the embedded SYNTHETIC dataset",
    )
    demo.add_argument(
        "--municipality", "-m", default=CLI_MUNICIPALITY,
        help="Kolada id or name (default: 1984 Arboga)",
    )
    demo.add_argument("--year", type=int, default=None, help="latest year to use (default: the latest)")
    demo.add_argument("--width", type=int, default=120, help=argparse.SUPPRESS)
    cli.add_parser(sub, CLI_MUNICIPALITY)
    args = parser.parse_args(argv)
    if args.command == "demo":
        return _demo(args)
    if args.command == "report":
        return cli.run(args, CLI_MUNICIPALITY)
    return 2


if __name__ == "__main__":
    sys.exit(main())
