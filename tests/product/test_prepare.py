"""Nothing long is silent: minigan.progress.Report, and `python -m minigan prepare`."""

from __future__ import annotations

import io

import pytest

from minigan import progress
from minigan.cli.main import COMMANDS, main


def test_report_says_what_starts_how_far_it_got_with_an_estimate_and_where_it_went(monkeypatch):
    monkeypatch.delenv("MINIGAN_QUIET", raising=False)
    now = [100.0]
    monkeypatch.setattr(progress.time, "perf_counter", lambda: now[0])
    out = io.StringIO()
    report = progress.Report("training a thing", total=200, unit="batches", where="/cache/thing.npz", stream=out)
    now[0] = 101.0
    report(10)  # before `first` (3 s): nothing yet
    now[0] = 104.0
    report(50)  # 50 of 200 in 4 s: 12 s left
    now[0] = 108.0
    report(90)  # less than `every` (10 s) since the last line: nothing
    now[0] = 130.0
    assert report.close() == 30.0
    lines = out.getvalue().splitlines()
    assert lines[0] == "minigan: training a thing: 200 batches, progress every 10 s ..."
    assert lines[1] == "   25% (50/200 batches), 0:04 gone, about 0:12 left (measured here now: 12.5 batches/s, " \
                       "about 0:16 in all)"
    assert lines[2] == "  done in 0:30; saved in /cache/thing.npz" and len(lines) == 3


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_report_on_a_terminal_rewrites_one_line_every_second_with_its_estimate(monkeypatch):
    """A person watching a terminal sees the line move every second (in place: a carriage return, no scroll), each
    with the estimate made from the time so far; the last line replaces it, and ends it. Under TQDM_DISABLE the
    terminal gets the lines a log gets (the first at 3 s, then every 10 s)."""
    monkeypatch.delenv("MINIGAN_QUIET", raising=False)
    monkeypatch.delenv("TQDM_DISABLE", raising=False)
    now = [100.0]
    monkeypatch.setattr(progress.time, "perf_counter", lambda: now[0])
    out = _Terminal()
    report = progress.Report("training a thing", total=200, unit="batches", where="/cache/thing.npz", stream=out)
    said = []
    for seconds, done in ((0.5, 2), (1.0, 10), (1.5, 12), (2.0, 40), (3.0, 50)):
        now[0] = 100.0 + seconds
        report(done)
        said.append(out.getvalue())
    now[0] = 104.0
    report.close()
    text = out.getvalue()
    assert text.startswith("minigan: training a thing: 200 batches, progress every second ...\n")
    assert said[2] == said[1]  # half a second after the last line: nothing new
    assert [s.count("\r") for s in said] == [0, 1, 1, 2, 3]
    lines = text.split("\n")[1].split("\r")[1:]
    assert lines[0].rstrip() == "    5% (10/200 batches), 0:01 gone, about 0:19 left (measured here now: 10.0 " \
                                "batches/s, about 0:20 in all)"
    assert lines[1].rstrip() == "   20% (40/200 batches), 0:02 gone, about 0:08 left"
    assert lines[2].rstrip() == "   25% (50/200 batches), 0:03 gone, about 0:09 left"
    assert lines[3].rstrip() == "  done in 0:04; saved in /cache/thing.npz" and len(lines[3]) == len(lines[2])
    assert text.endswith("\n") and text.count("\n") == 2

    # a line printed beside it (an epoch's loss, an attack's row) wipes the line standing in place first
    now[0] = 100.0
    out, rows = _Terminal(), io.StringIO()
    report = progress.Report("attacking", total=4, stream=out)
    now[0] = 102.0
    report(1)
    report.write("  eps=0.1 ...", file=rows)
    assert out.getvalue().endswith("\r" + " " * len("   25% (1/4 steps), 0:02 gone, about 0:06 left (measured here "
                                                  "now: 0.5 steps/s, about 0:08 in all)") + "\r")
    assert rows.getvalue() == "  eps=0.1 ...\n"
    now[0] = 103.0
    report(2)
    assert out.getvalue().endswith("\r   50% (2/4 steps), 0:03 gone, about 0:03 left")

    monkeypatch.setenv("TQDM_DISABLE", "1")
    now[0] = 100.0
    out = _Terminal()
    report = progress.Report("training a thing", total=200, stream=out)
    for seconds in (1, 2, 3, 4, 12, 13):
        now[0] = 100.0 + seconds
        report(seconds)
    assert "\r" not in out.getvalue()
    assert [line.split(",")[0] for line in out.getvalue().splitlines()] == [
        "minigan: training a thing: 200 steps", "    2% (3/200 steps)", "    6% (13/200 steps)"]


def test_report_is_silent_with_minigan_quiet(monkeypatch):
    monkeypatch.setenv("MINIGAN_QUIET", "1")
    out = io.StringIO()
    report = progress.Report("x", total=2, stream=out)
    report(1)
    report.close()
    assert out.getvalue() == ""
    assert progress.clock(75.2) == "1:15" and progress.clock(3725) == "1:02:05"


def test_prepare_is_a_command_and_lists_its_parts(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("MINIGAN_CACHE", str(tmp_path))
    assert "prepare" in dict(COMMANDS)
    assert main(["prepare", "--list"]) == 0
    said = capsys.readouterr().out
    assert f"cache: {tmp_path}" in said
    for part in ("digits-cnn", "attack-cnns", "digits-gan", "fashion-mnist-cnn", "mnist-cnn"):
        assert part in said


def test_prepare_trains_a_part_says_where_it_went_and_skips_missing_data(capsys, tmp_path, monkeypatch):
    from minigan import classifier

    monkeypatch.setenv("MINIGAN_CACHE", str(tmp_path))
    monkeypatch.setenv("MINIGAN_DATA", str(tmp_path / "no-data"))
    monkeypatch.setattr(classifier, "train_classifier", lambda *a, progress=None, **k: None)  # the ~20 s training
    assert main(["prepare", "--only", "digits-cnn", "mnist-cnn"]) == 0
    captured = capsys.readouterr()
    assert f"ready: {tmp_path / 'digits_cnn_v'}" in captured.out
    assert "mnist-cnn" in captured.out and "skipped: mnist" in captured.out
    assert "minigan: training the digits reference cnn once" in captured.err
    assert main(["prepare", "--only", "digits-cnn"]) == 0  # a second time: only loads
    assert "already there" in capsys.readouterr().out


def test_the_first_slow_step_and_train_help_name_prepare_and_the_time_it_saves(capsys, tmp_path, monkeypatch):
    from minigan import classifier
    from minigan.cli.main import main as cli_main

    monkeypatch.delenv("MINIGAN_QUIET", raising=False)

    def stop(*args, **kwargs):
        raise KeyboardInterrupt  # the announcement is what is checked, not the training

    monkeypatch.setattr(classifier, "train_classifier", stop)
    with pytest.raises(KeyboardInterrupt):
        classifier.reference_classifier("cnn", cache_dir=tmp_path, dataset="digits")
    said = capsys.readouterr().err
    assert "python -m minigan prepare --only digits-cnn" in said and classifier.FIRST_TRAINING["digits"] in said
    assert cli_main(["train", "--help"]) == 0
    helped = " ".join(capsys.readouterr().out.split())
    assert "python -m minigan prepare" in helped and classifier.FIRST_TRAINING["fashion-mnist"] in helped
