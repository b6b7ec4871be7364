"""Every command checks where it will write before it works: a place it cannot write (a file where a folder must
be, a folder under a file) is a one-line error naming the option or variable that chose it, and nothing has been
trained, drawn or timed yet. Before, ``prepare`` with MINIGAN_CACHE naming a file trained the reference CNN,
said "saved in ...", and failed, losing the training; ``sample`` drew before finding its --out unwritable."""

from __future__ import annotations

import pytest

from minigan import classifier
from minigan.__main__ import main
from minigan.cli import prepare
from minigan.cli import train as train_cli
from product.helpers_cli import one_line


class Worked(Exception):
    """Raised by a stand-in for the slow work: reaching it means the command worked before checking."""


def refuse_work(*args, **kwargs):
    raise Worked("the command started working before it checked where it writes")


@pytest.fixture
def a_file(tmp_path):
    path = tmp_path / "a-file"
    path.write_text("someone's file\n")
    return path


@pytest.mark.parametrize("below", [False, True])
def test_prepare_checks_the_cache_before_training(a_file, monkeypatch, capsys, below):
    cache = a_file / "cache" if below else a_file
    monkeypatch.setenv("MINIGAN_CACHE", str(cache))
    monkeypatch.setitem(prepare.PARTS, "digits-cnn", ("the digits' reference CNN", "tests", refuse_work))
    assert main(["prepare", "--only", "digits-cnn"]) == 2
    err = capsys.readouterr().err
    assert "MINIGAN_CACHE" in err and str(cache) in err and "Traceback" not in err, err
    assert a_file.read_text() == "someone's file\n"


def test_train_on_images_checks_the_cache_before_training(a_file, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MINIGAN_CACHE", str(a_file))
    monkeypatch.setattr(train_cli, "build_experiment", refuse_work)
    monkeypatch.setattr(classifier, "reference_classifier", refuse_work)
    assert main(["train", "dcgan", "--steps", "2", "--no-progress", "--out", str(tmp_path / "run")]) == 2
    err = one_line(capsys)
    assert "MINIGAN_CACHE" in err and str(a_file) in err
    assert not (tmp_path / "run").exists()


def test_train_checks_its_out_folder_before_building_anything(a_file, monkeypatch, capsys):
    monkeypatch.setattr(train_cli, "build_experiment", refuse_work)
    assert main(["train", "gan", "--steps", "2", "--no-progress", "--out", str(a_file / "run")]) == 2
    assert "--out" in one_line(capsys)


def test_the_library_makes_the_cache_folder_before_training(a_file, monkeypatch):
    """reference_classifier, called from a lesson: the folder it saves into is made before the training."""
    monkeypatch.setattr(classifier, "train_classifier", refuse_work)
    with pytest.raises(OSError):
        classifier.reference_classifier("cnn", cache_dir=a_file / "cache", dataset="digits")


def test_sample_checks_its_out_before_drawing(a_file, tmp_path, monkeypatch, capsys):
    from minigan.cli import sample

    monkeypatch.setattr(sample, "load_run", refuse_work)
    assert main(["sample", str(tmp_path), "--out", str(a_file / "grid.png")]) == 2
    err = one_line(capsys)
    assert "sample: --out" in err and str(a_file) in err


def test_the_lab_checks_its_runs_folder_before_it_starts(a_file, monkeypatch, capsys):
    from minigan.cli.lab import session

    monkeypatch.setattr(session.LabSession, "__init__", refuse_work)
    assert main(["lab", "--no-open", "--port", "0", "--runs", str(a_file / "runs")]) == 2
    err = one_line(capsys)
    assert "lab: --runs" in err and str(a_file) in err


def test_the_benches_check_their_json_before_timing(a_file, monkeypatch, capsys):
    from minigan.cli import bench
    from minigan.cli.lab import bench as lab_bench

    monkeypatch.setitem(bench.BENCHMARKS, "mlp", refuse_work)
    assert bench.main(["--only", "mlp", "--json", str(a_file / "bench.json")]) == 2
    assert "--json" in capsys.readouterr().err
    monkeypatch.setattr(lab_bench, "parts", refuse_work)
    assert lab_bench.main(["--json", str(a_file / "lab.json"), "--seconds", "0.1"]) == 2
    assert "--json" in capsys.readouterr().err


def test_check_folder_and_check_file_create_nothing(tmp_path):
    from minigan.cli.outputs import check_file, check_folder

    assert check_folder(tmp_path / "new" / "deeper", "x", "fix") == tmp_path / "new" / "deeper"
    assert not (tmp_path / "new").exists() and list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError, match="is a folder, expected a file"):
        check_file(tmp_path, "--json", "fix")
    assert check_file(tmp_path / "out.json", "--json", "fix") == tmp_path / "out.json"


@pytest.mark.parametrize("option", ["--csv", "--json", "--canvas", "--moodle", "--gradescope", "--journal"])
def test_exercises_grade_checks_each_output_before_grading(a_file, tmp_path, monkeypatch, capsys, option):
    from minigan.exercises import gradebook, workspace

    root = workspace.start(tmp_path / "ws")
    monkeypatch.setattr(gradebook, "grade_class", refuse_work)
    assert main(["exercises", "grade", str(root), option, str(a_file / "out.csv")]) == 2
    assert f"--{option[2:]}" in one_line(capsys) and a_file.read_text() == "someone's file\n"


def test_exercises_grade_makes_the_journals_folder_as_it_does_the_gradebooks(tmp_path, capsys):
    from minigan.exercises import workspace

    root = workspace.start(tmp_path / "ws")
    book = tmp_path / "book"
    assert main(["exercises", "grade", str(root), "--names", "unbroadcast", "--csv", str(book / "g.csv"),
                 "--json", str(book / "g.json"), "--journal", str(book / "new" / "journal")]) == 0
    assert (book / "new" / "journal").read_text().startswith('{"seed": ')
