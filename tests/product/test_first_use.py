"""First use honest under load, each written as a failing test before its fix: the Fashion-MNIST judge announced as
"about 2 minutes" took 5:39 on a loaded machine (a time is said from this machine's measured pace, not promised);
the training bar, whose first evaluation trained that judge, stood at "180:40:37" left (its clock leaves out an
evaluation's pause before it draws again); ``prepare --list`` did not say what is ready, as docs/data.md says."""

from __future__ import annotations

import io
import re
import sys

import pytest

from minigan import classifier, progress
from minigan.cli.main import main


def test_the_training_bar_leaves_an_evaluations_pause_out_of_its_clock(monkeypatch):
    pytest.importorskip("tqdm")
    from minigan.cli.train import Progress

    out = io.StringIO()
    monkeypatch.setattr(sys, "stderr", out)
    bar = Progress(0, 2000, disable=False)
    bar.update(1, {"loss_d": 1.0})
    bar.bar.start_t -= 339.0  # the first evaluation trained the reference CNN: 5:39 since the bar last drew
    bar.bar.last_print_t -= 339.0
    bar.note("step 1/2000: fid 88.1", "fid 88.1")
    bar.update(2, {"loss_d": 1.0})
    bar.bar.refresh()
    after = out.getvalue().split("step 1/2000: fid 88.1")[1]
    left = re.findall(r"<([\d:]+)", after)
    assert left and all(t.count(":") == 1 for t in left), after  # minutes at most: no hours for a run of seconds
    bar.close()


def test_a_report_says_the_pace_measured_here_and_the_time_it_makes(monkeypatch):
    monkeypatch.delenv("MINIGAN_QUIET", raising=False)
    now = [100.0]
    monkeypatch.setattr(progress.time, "perf_counter", lambda: now[0])
    out = io.StringIO()
    report = progress.Report("training the fashion-mnist reference cnn once", total=2814, unit="batches",
                             stream=out)
    now[0] = 104.0
    report(32)  # 8 batches a second here, now: 2,814 take 5:52
    said = out.getvalue().splitlines()[1]
    assert "8.0 batches/s" in said and "5:52 in all" in said, said


def test_a_new_phase_of_a_report_starts_its_clock_again(monkeypatch):
    """A report called with counts that start again (a second pass, another total) times that pass alone: the time
    of the first is no part of the second's estimate."""
    monkeypatch.delenv("MINIGAN_QUIET", raising=False)
    now = [0.0]
    monkeypatch.setattr(progress.time, "perf_counter", lambda: now[0])
    out = io.StringIO()
    report = progress.Report("two passes", total=100, stream=out)
    for t in range(1, 100):
        now[0] = 3.0 * t
        report(t)  # 3 s a step
    now[0] = 400.0
    report(1, 1000)  # the second pass: 1,000 steps of 0.1 s
    for t in range(2, 40):
        now[0] = 400.0 + 0.1 * t
        report(t, 1000)
    now[0] = 410.9
    report(110, 1000)
    last = out.getvalue().splitlines()[-1]
    assert "about 1:29 left" in last, last  # 890 steps at 0.1 s, not at the first pass's pace


def test_prepare_list_says_what_is_ready(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("MINIGAN_CACHE", str(tmp_path))
    assert main(["prepare", "--list"]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()[1:] if line.strip()}
    assert set(lines) == {"digits-cnn", "attack-cnns", "digits-gan", "fashion-mnist-cnn", "mnist-cnn"}, lines
    assert all("not yet" in line for line in lines.values()), lines
    path = tmp_path / f"digits_cnn_v{classifier.CACHE_VERSION}.npz"
    path.write_bytes(b"")  # (what the listing looks at: the file the part leaves)
    assert main(["prepare", "--list"]) == 0
    said = capsys.readouterr().out
    line = next(line for line in said.splitlines() if line.split()[:1] == ["digits-cnn"])
    assert "ready" in line and "not yet" not in line and str(path) in line, line
    assert sum("not yet" in line for line in said.splitlines()) == 4
