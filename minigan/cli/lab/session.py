"""The lab's training thread: the one thread that touches the run, and the commands the page sends it.

Every command (play, step, a new setting, save, open) is queued and run by the training thread between two
steps, so a step never sees half a change and the engine is never used from two threads. The thread
publishes a frame (the run's pictures, as JSON) after each batch of steps; the page's event stream sends
the newest one, so a slow page skips frames instead of slowing the training.

Closing the page does not leave the training running: when no page has watched for ``idle_pause``
seconds the run pauses (and ``close()`` ends the thread when the server stops).
"""

from __future__ import annotations

import json
import os
import queue
import threading
import time
from pathlib import Path

from minigan.cli.lab.run import RUN_FILES, Diverged, LabRun, inside
from minigan.cli.lab.settings import (
    PRESETS,
    SettingsError,
    check_live,
    check_run_name,
    check_run_settings,
    parse_points,
)
from minigan.cli.runfolder import name_and_kind, read_text
from minigan.surface import random

DELAYS_MS = (0, 50, 100, 250, 500, 1000)  # slow motion: the pause between two frames
COMMANDS = ("state", "runs", "play", "pause", "step", "speed", "reset", "change", "extend", "save", "open")


class LabSession:
    """``LabSession(runs_dir)``: ``start()``, then ``call(name, **args)`` from any thread; ``close()``."""

    def __init__(self, runs_dir, settings=None, idle_pause: float = 15.0):
        self.runs_dir = Path(runs_dir)
        self.idle_pause = float(idle_pause)
        self.run = None
        self.run_id = 0
        self.playing = False
        self.steps_per_frame = 1
        self.delay_ms = 0
        self.message = ""               # the latest word of the training thread: finished, diverged, paused
        self.commands = queue.Queue()
        self.changed = threading.Condition()
        self.frame_seq, self.frame = 0, (None, 0, "null")  # (run id, step, JSON text) of the newest frame
        self.viewers, self.last_seen = 0, time.monotonic()
        # seconds spent and counts, for python -m minigan.cli.lab.bench: steps, pictures, JSON, event-stream sends
        self.timing = {"step": 0.0, "frame": 0.0, "encode": 0.0, "send": 0.0, "encode_cpu": 0.0,
                       "send_cpu": 0.0, "frames": 0, "steps": 0, "sent": 0}
        self._closing = threading.Event()
        self._initial = settings or {"algorithm": "gan", "data": "ring"}
        self.thread = threading.Thread(target=self._loop, name="minigan-lab-training", daemon=True)

    # ------------------------------------------------------------------ from any thread
    def start(self) -> "LabSession":
        self.thread.start()
        self.call("reset", settings=self._initial)
        return self

    def close(self, timeout: float = 10.0) -> None:
        self._closing.set()
        self.commands.put(None)
        self.thread.join(timeout)
        with self.changed:
            self.changed.notify_all()

    def call(self, command: str, timeout: float = 120.0, **args):
        """Run ``command`` on the training thread; its result, or its SettingsError raised here."""
        if not self.thread.is_alive():
            raise RuntimeError("the lab's training thread has stopped")
        done, box = threading.Event(), {}
        self.commands.put((command, args, done, box))
        if not done.wait(timeout):
            raise TimeoutError(f"the lab did not answer {command!r} within {timeout:g} s")
        if "error" in box:
            raise box["error"]
        return box.get("result")

    def watch(self, delta: int) -> None:
        """A page's event stream opened (+1) or closed (−1)."""
        with self.changed:
            self.viewers += delta
            self.last_seen = time.monotonic()

    def wait_frame(self, seq: int, timeout: float) -> int:
        """Block until a frame newer than ``seq`` is published (or timeout); the newest frame's number."""
        with self.changed:
            self.changed.wait_for(lambda: self.frame_seq != seq or self._closing.is_set(), timeout)
            return self.frame_seq

    # ------------------------------------------------------------------ the training thread
    def _loop(self):
        while not self._closing.is_set():
            wait = None if not self.playing else self.delay_ms / 1000
            try:
                item = self.commands.get(timeout=0.25) if wait is None else (
                    self.commands.get(timeout=wait) if wait else self.commands.get_nowait())
            except queue.Empty:
                item = False
            if item is None:
                break
            if item:
                self._run_command(*item)
                continue
            if self.playing:
                self._advance(self.steps_per_frame)
                self._publish()
            self._pause_if_unwatched()

    def _run_command(self, name, args, done, box):
        rng = random.get_rng_state()  # a new run that fails half-built must not leave the old run reseeded
        try:
            if name not in COMMANDS:
                raise SettingsError(f"no such command: {name!r}")
            box["result"] = getattr(self, "_cmd_" + name)(**args)
        except SettingsError as e:
            random.set_rng_state(rng)
            box["error"] = e
        except (ValueError, TypeError, OSError, RuntimeError) as e:  # build_experiment's checks, a full disk
            random.set_rng_state(rng)
            box["error"] = SettingsError(str(e))
        except Exception as e:  # noqa: BLE001 - the page must hear of it, and the thread must live on
            random.set_rng_state(rng)
            box["error"] = SettingsError(f"{type(e).__name__}: {e}")
        finally:
            done.set()
        if name != "state":
            self._publish()

    def _advance(self, n):
        run = self.run
        for _ in range(n):
            if run.step_count >= run.steps:
                self.playing = False
                self.message = (f"finished: {run.steps} steps (train's --steps); raise the last step under "
                                "“Change while it runs” to go on, or start a new run")
                return
            t0 = time.perf_counter()
            try:
                run.step()
            except Diverged as e:
                self.playing = False
                self.message = str(e)
                return
            self.timing["step"] += time.perf_counter() - t0
            self.timing["steps"] += 1

    def _pause_if_unwatched(self):
        with self.changed:
            unwatched = self.viewers == 0 and time.monotonic() - self.last_seen > self.idle_pause
        if self.playing and unwatched:
            self.playing = False
            self.message = f"paused: no page has watched for {self.idle_pause:g} s"
            self._publish()

    def _publish(self):
        if self.run is None:
            return
        t0 = time.perf_counter()
        frame = self.run.frame()
        t1, c1 = time.perf_counter(), time.thread_time()
        frame.update(playing=self.playing, message=self.message, run_id=self.run_id,
                     steps_per_frame=self.steps_per_frame, delay_ms=self.delay_ms, live=self.run.live_values())
        text = json.dumps(frame)
        self.timing["encode_cpu"] += time.thread_time() - c1
        t2 = time.perf_counter()
        self.timing["frame"] += t1 - t0
        self.timing["encode"] += t2 - t1
        self.timing["frames"] += 1
        with self.changed:
            self.frame = (self.run_id, frame["step"], text)
            self.frame_seq += 1
            self.changed.notify_all()

    # ------------------------------------------------------------------ commands (run on the training thread)
    def _cmd_state(self):
        return {"run_id": self.run_id, "playing": self.playing, "message": self.message, "presets": PRESETS,
                **self.run.describe()}

    def _cmd_play(self):
        if self.run.step_count >= self.run.steps:
            raise SettingsError(f"the run is at its last step ({self.run.steps}); raise steps to go on")
        self.playing, self.message = True, ""

    def _cmd_pause(self):
        self.playing = False

    def _cmd_step(self, n=1):
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 10_000:
            raise SettingsError(f"step takes 1 to 10000 steps, got {n!r}")
        self.playing, self.message = False, ""
        self._advance(min(n, self.run.steps - self.run.step_count) or 1)

    def _cmd_speed(self, steps_per_frame=None, delay_ms=None):
        if steps_per_frame is not None:
            if isinstance(steps_per_frame, bool) or not isinstance(steps_per_frame, int) or not (
                    1 <= steps_per_frame <= 1000):
                raise SettingsError(f"steps per frame must be 1 to 1000, got {steps_per_frame!r}")
            self.steps_per_frame = steps_per_frame
        if delay_ms is not None:
            if delay_ms not in DELAYS_MS:
                raise SettingsError(f"slow motion takes a pause of {', '.join(map(str, DELAYS_MS))} ms, "
                                    f"got {delay_ms!r}")
            self.delay_ms = delay_ms

    def _cmd_reset(self, settings, points=None, csv=None):
        """A new run (checked and built before the old one is let go: a refused one leaves it running)."""
        checked = check_run_settings(settings)
        if csv is not None:
            points = parse_points(csv)
        if checked["data"] != "points":
            points = None
        elif points is None and self.run is not None and self.run.points is not None:
            points = self.run.points  # the same points again (Reset)
        run = LabRun(checked, points)
        self.run, self.run_id, self.playing, self.message = run, self.run_id + 1, False, ""
        return {"run_id": self.run_id}

    def _cmd_change(self, values):
        self.run.change(check_live(self.run.exp.algorithm, values))
        return {"live": self.run.live_values(), "command": self.run.command()}

    def _cmd_extend(self, steps):
        """Move the run's last step (as ``train --resume --steps N``: the lr schedule stays where it was)."""
        if isinstance(steps, bool) or not isinstance(steps, int) or not self.run.step_count < steps <= 10_000_000:
            raise SettingsError(f"steps must be a whole number above the current step {self.run.step_count} "
                                f"(at most 10000000), got {steps!r}")
        self.run.steps = steps
        self.message = ""

    def _folder(self, name) -> Path:
        folder = (self.runs_dir / check_run_name(name)).resolve()
        if folder.parent != self.runs_dir.resolve():  # a link out of the runs folder is refused too
            raise SettingsError(f"{name!r} is not a folder inside the lab's runs folder")
        return folder

    def _cmd_save(self, name):
        """Save through the run folder's rules (LabRun.save); a folder that holds any of the run's file names
        (a file, a folder, a link, dangling or not) is refused unless this run came from it or was saved there."""
        folder = self._folder(name)
        if os.path.lexists(folder) and not folder.is_dir():
            raise SettingsError(f"{name!r} is a file in the runs folder; choose another name")
        held = [f for f in RUN_FILES if os.path.lexists(folder / f)]
        if held and self.run.folder != folder:
            ckpt = folder / "checkpoint.npz"
            what = ("another run" if ckpt.is_file() and not ckpt.is_symlink()
                    else f"{name_and_kind(folder / held[0])}, which the lab did not write")
            raise SettingsError(f"{name!r} already holds {what}; choose another name (nothing was written)")
        command = self.run.save(folder)
        files = ["checkpoint.npz", "metrics.json"] + (["points.csv"] if self.run.points is not None else [])
        return {"folder": str(folder), "files": files, **command}

    def _cmd_open(self, name):
        run = LabRun.open(self._folder(name))
        self.run, self.run_id, self.playing, self.message = run, self.run_id + 1, False, ""
        return {"run_id": self.run_id}

    def _cmd_runs(self):
        """The runs in the runs folder the lab can open: name, algorithm, data, step."""
        found = []
        if not self.runs_dir.is_dir():
            return found
        for folder in sorted(self.runs_dir.iterdir()):
            if not (folder / "checkpoint.npz").is_file():
                continue
            entry = {"name": folder.name}
            try:
                said = json.loads(read_text(inside(folder, "metrics.json")))
                entry.update(algorithm=said["config"]["algorithm"], data=said["config"]["data"], step=said["step"])
            except (OSError, ValueError, KeyError, TypeError):  # SettingsError too: a link out is not read
                pass
            found.append(entry)
        return found[:200]
