"""The command line: ``python -m minigan {train,fgsm} ...``.

    python -m minigan train gan --data ring --steps 5000 --seed 0 --out runs/ring
    python -m minigan fgsm --data digits --eps 0.05 0.1 0.25 --adversarial-training --out runs/fgsm

Each subcommand lives next to the code it drives (``minigan/gans/cli.py``,
``minigan/attacks/cli.py``); this file only dispatches, and turns a user's mistake into a
one-line error with exit code 2 instead of a traceback.
"""

from __future__ import annotations

import argparse
import sys


def build_parser() -> argparse.ArgumentParser:
    from minigan.attacks import cli as attacks_cli
    from minigan.gans import cli as gans_cli

    parser = argparse.ArgumentParser(prog="python -m minigan", description="minigan: GANs from scratch in NumPy/CuPy")
    sub = parser.add_subparsers(dest="command", required=True)
    gans_cli.add_parser(sub)  # "train"
    attacks_cli.add_parser(sub)  # "fgsm"
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        print("minigan: interrupted", file=sys.stderr)
        return 130
    except (ValueError, TypeError, RuntimeError, FileNotFoundError, NotADirectoryError, PermissionError) as e:
        print(f"minigan: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
