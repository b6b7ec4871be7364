"""A long preparation step says what it is doing, how far it got and about how long is left.

    report = progress.Report("training the digits reference CNN once", total=20 * 45, unit="batches",
                             where="~/.cache/minigan/digits_cnn_v3.npz")
    for ...:
        report(done)                      # a line at most every `every` seconds: 35%, 0:42 gone, about 1:20 left
    report.close()                        # "done in 2:02; cached in ..."

The reference classifiers, the attack lessons' fine-tuned copies and the digits GAN are trained the first time
something needs them (seconds on the digits, minutes on Fashion-MNIST); ``python -m minigan prepare`` trains them
all ahead of a class. The lines go to stderr, so a program's own output stays clean; ``MINIGAN_QUIET=1`` silences
them. A callback that takes ``(done, total)`` can replace a ``Report`` wherever one is accepted.
"""

from __future__ import annotations

import os
import sys
import time


def clock(seconds: float) -> str:
    """``75.2`` -> ``'1:15'``; ``3725`` -> ``'1:02:05'``."""
    s = int(round(seconds))
    h, m, s = s // 3600, s // 60 % 60, s % 60
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class Report:
    """Say that ``what`` starts, then (called with the units done) how far it got, every ``every`` seconds."""

    def __init__(self, what: str, total: int, unit: str = "steps", where=None, every: float = 10.0,
                 first: float = 3.0, stream=None):
        self.what, self.total, self.unit, self.where = what, max(int(total), 1), unit, where
        self.every, self.first = float(every), float(first)
        self.stream = stream
        self.quiet = os.environ.get("MINIGAN_QUIET", "").strip() not in ("", "0")
        self.t0 = time.perf_counter()
        self.last = None  # when the last progress line was written
        self.done = 0
        self.say(f"minigan: {what}: {self.total:,} {unit}, progress every {self.every:.0f} s ...")

    def say(self, line: str) -> None:
        if not self.quiet:
            print(line, file=self.stream or sys.stderr, flush=True)

    def __call__(self, done: int, total: int | None = None) -> None:
        """``done`` of the ``total`` units are finished (``total``: the one given at the start, when None)."""
        self.done, total = int(done), int(total or self.total)
        now = time.perf_counter()
        gone = now - self.t0
        due = self.first if self.last is None else self.every
        if now - (self.last if self.last is not None else self.t0) < due or self.done <= 0 or self.done >= total:
            return
        self.last = now
        left = gone / self.done * (total - self.done)
        self.say(f"  {100 * self.done / total:3.0f}% ({self.done:,}/{total:,} {self.unit}), {clock(gone)} gone, "
                 f"about {clock(left)} left")

    def close(self, note: str = "") -> float:
        """Say it finished (and where it put the result); the seconds it took."""
        seconds = time.perf_counter() - self.t0
        where = f"; saved in {self.where}" if self.where else ""
        self.say(f"  done in {clock(seconds)}{where}{'; ' + note if note else ''}")
        return seconds
