"""Ctrl-C in ``exercises grade`` (issue 102, the grader's part), written before the change: the signal waited for
every student being graded to finish.  Now it answers within a second, says it is stopping, writes whole
gradebooks of the students finished (under names no platform imports: ``g.stopped.json``), and prints the command
that goes on (the journal keeps them)."""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
import threading
import time

import pytest

from minigan.exercises import workspace
from product.class_submissions import fill_in, set_body

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the learner's process is run as on Linux")
NAMES = ["unbroadcast", "add_backward"]


def _env():
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return dict(env, PYTHONPATH=str(workspace.REPO))


def _class(folder):
    for name in ("a1", "a2"):
        workspace.start(folder / name, solutions=True)
    for name in ("b1", "b2", "b3"):  # slow: add_backward takes 6 s of its 10 (graded after the a's)
        root = workspace.start(folder / name, solutions=True)
        set_body(root, "add_backward", "import time\nif not getattr(type(self), 'slept', False):\n"
                 "    type(self).slept = True\n    time.sleep(6)\n(a, b), (need_a, need_b) = self.inputs, "
                 "self.needs_input_grad\nreturn (unbroadcast(grad, value(a).shape) if need_a else None,\n"
                 "        unbroadcast(grad, value(b).shape) if need_b else None)")


def test_ctrl_c_stops_grade_within_a_second_keeps_what_it_had_and_says_how_to_go_on(tmp_path):
    folder, out = tmp_path / "class", tmp_path / "out"
    _class(folder)
    journal = out / "j.jsonl"
    args = [sys.executable, "-m", "minigan", "exercises", "grade", str(folder), "--names", *NAMES, "--jobs", "2",
            "--csv", str(out / "g.csv"), "--json", str(out / "g.json"), "--journal", str(journal)]
    # (SIGINT at its default in the child: a process started with it ignored, as a test worker may be, keeps it
    # ignored, and a user's Ctrl-C is never ignored)
    proc = subprocess.Popen(args, stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=_env(),
                            cwd=tmp_path, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    said, heard = [], threading.Event()

    def listen():
        for line in proc.stderr:
            said.append((time.perf_counter(), line))
            if "stopping" in line:
                heard.set()

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    deadline = time.perf_counter() + 300
    while time.perf_counter() < deadline:  # until the two quick students are in the journal
        if journal.exists() and len(journal.read_text().splitlines()) >= 3:
            break
        time.sleep(0.05)
    time.sleep(1.0)  # (the slow ones are in their sleep now)
    sent = time.perf_counter()
    proc.send_signal(signal.SIGINT)
    assert heard.wait(10), said
    answered = next(t for t, line in said if "stopping" in line) - sent
    printed = proc.stdout.read()
    assert proc.wait(30) == 130, (printed, said)
    print(f"\nended {time.perf_counter() - sent:.2f} s after Ctrl-C, the gradebooks written")
    listener.join(5)
    print(f"\nsaid it was stopping {answered:.3f} s after Ctrl-C")
    assert answered < 1.0, f"said it was stopping {answered:.2f} s after Ctrl-C"
    assert not (out / "g.json").exists() and not (out / "g.csv").exists()  # part of a class: never under its name
    book = json.loads((out / "g.stopped.json").read_text())
    finished = [json.loads(line)["student"] for line in journal.read_text().splitlines()[1:]]
    assert book["stopped"] and sorted(e["student"] for e in book["students"]) == sorted(finished), book
    assert {"a1", "a2"} <= set(finished) and len(finished) < 5, finished
    assert (out / "g.stopped.csv").read_text().count("\n") == len(finished) + 1
    text = "".join(line for _, line in said)
    again = next(line for line in text.splitlines() if "exercises grade" in line and "--overwrite" in line)
    command = shlex.split(again[again.index("python"):])
    for name in ("b1", "b2", "b3"):  # (no more sleeping: the going on is what is tested, not the waiting)
        fill_in(folder / name, "add_backward")
    done = subprocess.run([sys.executable, *command[1:]], capture_output=True, text=True, env=_env(), cwd=tmp_path,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    book = json.loads((out / "g.json").read_text())
    assert not book.get("stopped") and len(book["students"]) == 5
    assert not (out / "g.stopped.json").exists() and not (out / "g.stopped.csv").exists()
    assert all(e["passed"] == len(NAMES) for e in book["students"]), book
    assert len(journal.read_text().splitlines()) == 6  # the seed and each student once: nobody graded twice
