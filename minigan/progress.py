"""A long preparation step says what it is doing, how far it got and about how long is left.

    report = progress.Report("training the digits reference CNN once", total=20 * 45, unit="batches",
                             where="~/.cache/minigan/digits_cnn_v3.npz")
    for ...:
        report(done)                      # 35% (315/900 batches), 0:42 gone, about 1:18 left (measured ...)
    report.close()                        # "done in 2:02; cached in ..."

On a terminal the progress line is rewritten in place every second (the estimate made from the pace measured on this
machine so far, never a time promised beforehand: the first line says that pace and the time it makes in all; a
count that starts again, or a new total, is a new pass timed on its own), and the closing line replaces it; where
stderr is a log, a pipe or a notebook's stream, or ``TQDM_DISABLE`` is set as for the bars, a line is added after
3 s and then every 10 s instead.

The reference classifiers, the attack lessons' fine-tuned copies and the digits GAN are trained the first time
something needs them (seconds on the digits, minutes on Fashion-MNIST); ``python -m minigan prepare`` trains them
all ahead of a class. The lines go to stderr, so a program's own output stays clean; ``MINIGAN_QUIET=1`` silences
them. A callback that takes ``(done, total)`` can replace a ``Report`` wherever one is accepted.

The stop request lives here too, the one home of Ctrl-C for long work. A command that must finish a step before
it stops (``train`` saves a checkpoint at it) runs inside ``StopOnSignal()``: SIGINT, SIGTERM and SIGHUP then say
at once that the run is stopping and set a request instead of raising mid-step; every long loop of the library
(a ``Report``'s every call, the classifiers' training and evaluation batches, the attacks' steps) calls
``check_stop()``, which raises ``Stopped`` (a ``KeyboardInterrupt``) while a request is pending, so a stop takes
effect within one batch or step wherever the run is, not after the part in progress. Outside ``StopOnSignal``
(a script, a lesson, a notebook) Ctrl-C raises ``KeyboardInterrupt`` at once, as always, and ``check_stop()`` is a
no-op.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

# The signal number of the pending stop request (None: none), set by StopOnSignal's handler.
_requested: list = [None]


class Stopped(KeyboardInterrupt):
    """A stop request (Ctrl-C, SIGTERM or SIGHUP inside ``StopOnSignal``) acted on; ``signum`` is the signal's."""

    def __init__(self, signum: int):
        super().__init__(signal_name(signum))
        self.signum = signum


def signal_name(signum: int) -> str:
    """``2`` -> ``'SIGINT'``."""
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


def stop_requested():
    """The signal number of a pending stop request, or None."""
    return _requested[0]


def check_stop() -> None:
    """Raise ``Stopped`` if a stop was requested (called inside every long loop; a no-op otherwise)."""
    if _requested[0] is not None:
        raise Stopped(_requested[0])


class StopOnSignal:
    """``with StopOnSignal(doing) as stop:`` SIGINT, SIGTERM and SIGHUP set ``stop.signum`` (and the request
    ``check_stop`` acts on) instead of killing the program mid-step, and say at once, on stderr, that it is
    ``doing`` so; a second signal raises ``KeyboardInterrupt`` at once. Handlers are set only in the main thread
    (Python allows them nowhere else); the previous ones come back on exit, and the request is cleared."""

    SIGNALS = tuple(getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n))

    def __init__(self, doing: str = "stopping after the step in progress"):
        self.doing = doing
        self.signum, self.previous = None, {}

    def _handle(self, signum, frame):
        if self.signum is not None:
            raise KeyboardInterrupt  # asked twice: stop now
        self.signum = _requested[0] = signum
        again = "Ctrl-C" if signum == signal.SIGINT else signal_name(signum)
        # os.write, not print: a handler may run in the middle of a print to the same stream
        os.write(2, f"\nminigan: {signal_name(signum)}: {self.doing} ({again} again stops at once)\n".encode())

    def __enter__(self):
        _requested[0] = None
        if threading.current_thread() is threading.main_thread():
            self.previous = {s: signal.signal(s, self._handle) for s in self.SIGNALS}
        return self

    def __exit__(self, *exc):
        for s, handler in self.previous.items():
            signal.signal(s, handler)
        _requested[0] = None
        return False


def clock(seconds: float) -> str:
    """``75.2`` -> ``'1:15'``; ``3725`` -> ``'1:02:05'``."""
    s = int(round(seconds))
    h, m, s = s // 3600, s // 60 % 60, s % 60
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def _live(stream) -> bool:
    """Whether ``stream`` is a terminal a person watches, the bars not turned off there (``TQDM_DISABLE``)."""
    if os.environ.get("TQDM_DISABLE", "").strip().lower() not in ("", "0", "false"):
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # (no isatty; a closed stream)
        return False


class Report:
    """Say that ``what`` starts, then (called with the units done) how far it got: on a terminal every second, in
    place, else after ``first`` and then every ``every`` seconds, a line each."""

    def __init__(self, what: str, total: int, unit: str = "steps", where=None, every: float = 10.0,
                 first: float = 3.0, stream=None):
        self.what, self.total, self.unit, self.where = what, max(int(total), 1), unit, where
        self.stream = stream
        self.live = _live(stream or sys.stderr)
        self.every, self.first = (1.0, 1.0) if self.live else (float(every), float(first))
        self.quiet = os.environ.get("MINIGAN_QUIET", "").strip() not in ("", "0")
        self.t0 = time.perf_counter()
        self.last = None  # when the last progress line was written
        self.width = 0  # the length of the line standing in place on a terminal (0: none)
        self.done = 0
        # the pass being timed: when it started, the units done then, its total, whether its pace was said yet (a
        # count that starts again, or another total, is a new pass with a clock of its own)
        self.pass_t0, self.pass_done0, self.pass_total, self.paced = self.t0, 0, self.total, False
        cadence = "every second" if self.every == 1 else f"every {self.every:.0f} s"
        self.say(f"minigan: {what}: {self.total:,} {unit}, progress {cadence} ...")

    def say(self, line: str, in_place: bool = False) -> None:
        """Write ``line``; on a terminal it replaces a progress line standing in place, and stays in place
        itself with ``in_place`` (the next line overwrites it)."""
        if self.quiet:
            return
        stream = self.stream or sys.stderr
        if not self.live:
            print(line, file=stream, flush=True)
            return
        back = "\r" if in_place or self.width else ""  # (to the start of the line, to write over it)
        stream.write(back + line + " " * max(self.width - len(line), 0) + ("" if in_place else "\n"))
        stream.flush()
        self.width = len(line) if in_place else 0

    def write(self, text: str, file=None, flush: bool = True) -> None:
        """``print(text, file=file)`` beside the progress (as tqdm's ``write``): on a terminal the progress line
        standing in place is wiped first, so the text does not run on from it (the next call draws it again)."""
        if self.live and self.width and not self.quiet:
            stream = self.stream or sys.stderr
            stream.write("\r" + " " * self.width + "\r")
            stream.flush()
            self.width = 0
        print(text, file=file, flush=flush)

    def __call__(self, done: int, total: int | None = None) -> None:
        """``done`` of the ``total`` units are finished (``total``: the one given at the start, when None).
        A pending stop request ends the work here: says how far it got and that nothing was kept, then
        raises ``Stopped`` (what a Report follows is saved only when finished, so nothing half-made stays)."""
        self.done, total = int(done), int(total or self.total)
        if _requested[0] is not None:
            kept = f"; nothing saved in {self.where}" if self.where else ""
            self.say(f"  stopped at {100 * self.done / total:.0f}% ({self.done:,}/{total:,} {self.unit}) after "
                     f"{clock(time.perf_counter() - self.t0)}{kept}: the next use starts it again")
            raise Stopped(_requested[0])
        now = time.perf_counter()
        if self.done < self.pass_done0 or total != self.pass_total:  # a new pass: its pace is its own
            self.pass_t0, self.pass_done0, self.pass_total, self.paced = now, self.done, total, False
        gone, timed = now - self.t0, now - self.pass_t0
        due = self.first if self.last is None else self.every
        if now - (self.last if self.last is not None else self.t0) < due or self.done <= self.pass_done0 or \
                self.done >= total or timed <= 0:
            return
        self.last = now
        pace = (self.done - self.pass_done0) / timed  # units a second, measured on this machine as it is now
        line = (f"  {100 * self.done / total:3.0f}% ({self.done:,}/{total:,} {self.unit}), {clock(gone)} gone, "
                f"about {clock((total - self.done) / pace)} left")
        if not self.paced:  # the first line of a pass says the pace it comes from, and what that makes in all
            self.paced = True
            line += f" (measured here now: {pace:.1f} {self.unit}/s, about {clock(total / pace)} in all)"
        self.say(line, in_place=True)

    def close(self, note: str = "") -> float:
        """Say it finished (and where it put the result); the seconds it took."""
        seconds = time.perf_counter() - self.t0
        where = f"; saved in {self.where}" if self.where else ""
        self.say(f"  done in {clock(seconds)}{where}{'; ' + note if note else ''}")
        return seconds
