"""The README's test paragraph states what its test line printed, with and without PyTorch, and how long it took:
the numbers come from benchmarks/results/test_line.json, which ``python benchmarks/test_line.py --record`` writes
(a time cannot be checked in a test on a shared machine; a record of a measured run can be quoted exactly).  Here:
the README quotes the record, and the suite still collects about as many tests as the record says (checked in a
run of the README's line itself, from what this process collected).  In this wing because which half of the record
applies depends on whether PyTorch is installed."""

import json
from pathlib import Path
from types import SimpleNamespace

import conftest
import pytest

from pytorch.oracle import HAVE_TORCH

ROOT = Path(__file__).resolve().parents[2]
RECORD = ROOT / "benchmarks" / "results" / "test_line.json"
AGAIN = "run python benchmarks/test_line.py --record (with PyTorch and without) and update the README's numbers"
# The suite grows and shrinks between records: within this share of the record's count the README still holds.
DRIFT = 0.10


def _record() -> dict:
    return json.loads(RECORD.read_text(encoding="utf-8"))


def _section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("\n## The tests\n", 1)[1].split("\n## ", 1)[0]


def stated(entry: dict) -> list:
    """The phrases the README gives for one recorded run: its counts as pytest printed them, and its wall time."""
    minutes, seconds = divmod(round(entry["wall_s"]), 60)
    return [f"{entry[word]:,} {word}" for word in ("passed", "failed", "xfailed", "skipped") if entry[word]] + \
        [f"{minutes} min {seconds} s", f"load {entry['load_before'][0]:.1f}"]


def test_the_readme_quotes_the_recorded_runs():
    record = _record()
    assert set(record) == {"with PyTorch", "without PyTorch"}, f"{RECORD.name} lacks a run: {AGAIN}"
    without, with_ = _section().split("With PyTorch", 1)
    for part, entry in ((without, record["without PyTorch"]), (with_, record["with PyTorch"])):
        missing = [phrase for phrase in stated(entry) if phrase not in part]
        assert missing == [], f"the README's test paragraph does not say {missing} as recorded: {AGAIN}"


def test_the_record_is_of_the_readme_line():
    for key, entry in _record().items():
        assert entry["command"] == "python -m pytest -n auto", key
        assert entry["exit_status"] == 0 and not entry["failed"], f"{key}: the README quotes a green run only"
        assert entry["items"] >= entry["passed"] + entry["xfailed"], key  # skips of whole modules are not items


def test_the_default_marks_are_pyprojects():
    assert f"-m '{conftest.DEFAULT_MARKS}'" in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_the_suite_collects_about_what_the_record_says():
    # (asked when the test runs: collection, which sets it, is over by then; a skipif would read it at import)
    if not conftest.SUITE["whole"]:
        pytest.skip("counts the suite only in a run of the README's line")
    entry = _record()["with PyTorch" if HAVE_TORCH else "without PyTorch"]
    items = conftest.SUITE["items"]
    assert abs(items - entry["items"]) <= DRIFT * entry["items"], \
        f"this run collected {items:,} tests, the record {entry['items']:,} ({entry['commit']}): {AGAIN}"


def test_a_stated_time_reads_as_minutes_and_seconds():
    entry = {"passed": 9012, "failed": 0, "xfailed": 0, "skipped": 340, "wall_s": 201.4, "load_before": [2.04, 1, 1]}
    assert stated(entry) == ["9,012 passed", "340 skipped", "3 min 21 s", "load 2.0"]
    assert stated({**entry, "xfailed": 3, "wall_s": 59.6})[1:4] == ["3 xfailed", "340 skipped", "1 min 0 s"]


def _config(args, **options):
    given = {"markexpr": conftest.DEFAULT_MARKS, "keyword": "", "deselect": None, "ignore": None,
             "ignore_glob": None, **options}
    return SimpleNamespace(args=args, invocation_params=SimpleNamespace(dir=ROOT),
                           getoption=lambda name, default=None: given.get(name, default))


def test_the_readme_line_is_told_from_a_part_of_the_suite():
    assert conftest.the_readme_line(_config(["tests"]))
    assert conftest.the_readme_line(_config([str(ROOT / "tests")]))
    assert not conftest.the_readme_line(_config(["tests/engine"]))
    assert not conftest.the_readme_line(_config(["tests"], keyword="slice"))
    assert not conftest.the_readme_line(_config(["tests"], markexpr="parity"))
    assert not conftest.the_readme_line(_config(["tests"], deselect=["tests/test_test_layout.py"]))
