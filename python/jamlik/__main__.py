"""Command line: ``python -m jamlik demo``."""

from __future__ import annotations

import argparse
import sys
from typing import Optional, Sequence


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="jamlik", description="Health goals and health equity.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("demo", help="run the main job on the embedded dataset")
    args = parser.parse_args(argv)
    if args.command == "demo":
        import jamlik

        print(f"jamlik {jamlik.__version__}")
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
