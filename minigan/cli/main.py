"""The command line: ``python -m minigan COMMAND ...``.

    python -m minigan train gan --data ring --steps 5000 --seed 0 --out runs/ring
    python -m minigan sample runs/ring --n 64 --out grid.png
    python -m minigan fgsm --data digits --eps 0.05 0.1 0.25 --adversarial-training --out runs/fgsm
    python -m minigan attack --data digits --eps 0.05 0.1 0.2 --train-eps 0.1 --out runs/robust
    python -m minigan lab                               # the live lab, in the browser
    python -m minigan exercises start my-minigan        # then: exercises check my-minigan
    python -m minigan prepare                           # before a class: what the first runs would train

Every subcommand is one module named in ``COMMANDS``; the module has
``add_parser(subparsers, name)``, which adds the subcommand's parser and sets ``run``, the function
that runs it. This file only dispatches, gives every subcommand the one option they share
(``--threads N``, the BLAS threads, set before any work starts), and turns a user's mistake or a
limit into a one-line error with exit code 2 instead of a traceback.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys

from minigan.cli import attack, exercises, prepare, sample, train
from minigan.cli.lab import cli as lab
from minigan.engine.backend import set_num_threads
from minigan.process import keep_freed_memory


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a mistake on the command line is ONE line on stderr (exit 2), not the usage block.

    ``add_subparsers`` builds the subcommands' parsers with this same class, so ``train foo``
    and ``train gan --steps abc`` answer in one line too; ``--help`` still shows the usage.
    """

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {closest_choice(self, message)} (see {self.prog} --help)\n")

    def parse_args(self, args=None, namespace=None):
        """argparse's, but an unknown option is reported by the subcommand it was given to (``train --stesp 100``:
        ``python -m minigan train: ... did you mean --steps?``, see ``train --help``), not by the top level."""
        args, extras = self.parse_known_args(args, namespace)
        if extras:
            parser = self
            while True:  # down to the (sub)subcommand given: ``exercises start --bad`` is exercises start's
                chosen = [a.choices[getattr(args, a.dest)] for a in parser._actions
                          if isinstance(a, argparse._SubParsersAction) and getattr(args, a.dest, None) in a.choices]
                if not chosen:
                    break
                parser = chosen[0]
            parser.error(unknown_arguments(parser, extras))
        return args


def unknown_arguments(parser: argparse.ArgumentParser, extras: list) -> str:
    """``unrecognized arguments: --stesp 100 (did you mean --steps?)``: argparse's words, and the closest option."""
    options = [o for action in parser._actions for o in action.option_strings if o.startswith("--")]
    said = f"unrecognized arguments: {' '.join(extras)}"
    for word in extras:
        if word.startswith("-"):
            close = difflib.get_close_matches(word.split("=", 1)[0], options, n=1, cutoff=0.75)
            if close:
                return f"{said} (did you mean {close[0]}?)"
    return said


def closest_choice(parser: argparse.ArgumentParser, message: str) -> str:
    """``invalid choice: 'chek' (choose from ...)``: argparse's words, and the closest choice (did you mean check?)."""
    given = re.search(r"invalid choice: '([^']*)'", message)
    if given:
        choices = [str(c) for action in parser._actions if action.choices for c in action.choices]
        close = difflib.get_close_matches(given[1], choices, n=1, cutoff=0.6)
        if close:
            return f"{message} (did you mean {close[0]}?)"
    return message


THREADS_HELP = (
    "threads for NumPy's matrix products (default: 1). minigan's matrices are small, where one BLAS "
    "thread is the fastest, and on a busy machine several threads spin against each other"
)


def _threads(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return n


def add_threads_option(parser: argparse.ArgumentParser) -> None:
    """``--threads N``: the BLAS threads, set with ``minigan.set_num_threads`` before the command runs."""
    parser.add_argument("--threads", type=_threads, default=1, metavar="N", help=THREADS_HELP)


# The subcommands, in the order --help lists them: (name, the module whose add_parser(subparsers, name)
# adds it and sets its ``run``). Adding a subcommand is a row here (and the import of its module above).
COMMANDS = (
    ("train", train),
    ("sample", sample),
    ("fgsm", attack),
    ("attack", attack),
    ("lab", lab),
    ("exercises", exercises),
    ("prepare", prepare),
)


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="python -m minigan", description="minigan: GANs from scratch in NumPy/CuPy")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, module in COMMANDS:
        add_threads_option(module.add_parser(sub, name))
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # --help (0) or a usage mistake (2, already reported in one line)
        return e.code if isinstance(e.code, int) else 2
    try:
        set_num_threads(args.threads)
        keep_freed_memory()  # this process is minigan's: let malloc keep freed arrays for the next (minigan/process.py)
        return int(args.run(args) or 0)
    except KeyboardInterrupt:  # a second Ctrl-C (train stops after the step on the first), or before training
        print("minigan: interrupted at once; files already written stay (train: its last periodic checkpoint.npz, "
              "which the same command with --resume continues; prepare and the attacks: the models finished before, "
              "in the cache, which the same command loads)", file=sys.stderr)
        return 130
    except MemoryError:  # the last resort: the options' bounds catch the usual cases up front
        print("minigan: error: out of memory; try a smaller --batch-size, --data or model", file=sys.stderr)
        return 2
    except (ValueError, TypeError, RuntimeError, OSError) as e:  # OSError: a missing file, --out naming a file, ...
        print(f"minigan: error: {_said(e)}", file=sys.stderr)
        return 2


def _said(e: Exception) -> str:
    """The error in words: an OSError the commands did not word themselves names its path, without the errno."""
    if isinstance(e, OSError) and e.strerror and isinstance(e.filename, (str, bytes)) and str(e).startswith("[Errno"):
        path = os.fsdecode(e.filename)
        return f"{path!r}: {e.strerror}" + (f" (and {os.fsdecode(e.filename2)!r})" if e.filename2 else "")
    return str(e)
