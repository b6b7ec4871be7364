"""The command line: ``python -m minigan {train,fgsm} ...``.

    python -m minigan train gan --data ring --steps 5000 --seed 0 --out runs/ring
    python -m minigan fgsm --data digits --eps 0.05 0.1 0.25 --adversarial-training --out runs/fgsm

Each subcommand lives next to the code it drives (``minigan/gans/cli.py``,
``minigan/attacks/cli.py``); this file only dispatches, gives every subcommand the one option
they share (``--threads N``, the BLAS threads, set before any work starts), holds the ``--out``
folder for one run at a time (``hold_folder``), and turns a user's mistake or a limit into a
one-line error with exit code 2 instead of a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys

from minigan.backend import set_num_threads

try:
    import fcntl
except ImportError:  # Windows: no flock; runs there are not protected from sharing a folder
    fcntl = None

LOCK_NAME = ".minigan.lock"


class FolderInUse(RuntimeError):
    """Another run holds the ``--out`` folder (main reports it in one line, exit code 2)."""


@contextlib.contextmanager
def hold_folder(folder, command: str):
    """``with hold_folder(out, "train"):`` the run is the only one writing into ``out``.

    An exclusive, non-blocking ``flock`` on ``out/.minigan.lock``, which holds the holder's process
    id for the message of a second run. The operating system drops the lock when the process
    ends, however it ends (even SIGKILL), so a stale lock file never blocks a later run.
    """
    if fcntl is None:
        yield
        return
    path = os.path.join(os.fspath(folder), LOCK_NAME)
    # O_NOFOLLOW: a symlink planted under the lock's name must not make us write through it
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            raise FolderInUse(f"{command}: the folder {os.fspath(folder)!r} is in use by another minigan run "
                              f"(PID {holder}); wait for it to end or give another --out") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a mistake on the command line is ONE line on stderr (exit 2), not the usage block.

    ``add_subparsers`` builds the subcommands' parsers with this same class, so ``train foo``
    and ``train gan --steps abc`` answer in one line too; ``--help`` still shows the usage.
    """

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


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


def build_parser() -> argparse.ArgumentParser:
    from minigan.attacks import cli as attacks_cli
    from minigan.gans import cli as gans_cli

    parser = OneLineParser(prog="python -m minigan", description="minigan: GANs from scratch in NumPy/CuPy")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in (gans_cli.add_parser(sub), attacks_cli.add_parser(sub)):  # "train", "fgsm"
        add_threads_option(command)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # --help (0) or a usage mistake (2, already reported in one line)
        return e.code if isinstance(e.code, int) else 2
    try:
        set_num_threads(args.threads)
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        print("minigan: interrupted", file=sys.stderr)
        return 130
    except MemoryError:  # the last resort: the options' bounds catch the usual cases up front
        print("minigan: error: out of memory; try a smaller --batch-size, --data or model", file=sys.stderr)
        return 2
    except (ValueError, TypeError, RuntimeError, OSError) as e:  # OSError: a missing file, --out naming a file, ...
        print(f"minigan: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
