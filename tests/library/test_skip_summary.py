"""The test run explains its own skips: conftest.pytest_terminal_summary writes one line per reason, with counts."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import conftest
import pytest


class Reporter:
    def __init__(self, stats):
        self.stats, self.lines, self.sections = stats, [], []

    def section(self, title, sep="="):
        self.sections.append(title)

    def write_line(self, line):
        self.lines.append(line)


def skipped(reason):
    return SimpleNamespace(longrepr=("tests/test_x.py", 1, f"Skipped: {reason}"))


def test_one_line_per_reason_most_first_and_what_was_deselected():
    stats = {"skipped": [skipped("needs CuPy and an NVIDIA GPU")] * 3 + [skipped("no torch")] * 5,
             "deselected": [object()] * 2}
    reporter = Reporter(stats)
    conftest.pytest_terminal_summary(reporter, 0, None)
    assert reporter.sections == ["why tests did not run"]
    assert reporter.lines[0] == "     5 skipped: no torch"
    assert reporter.lines[1] == "     3 skipped: needs CuPy and an NVIDIA GPU"
    assert reporter.lines[2].startswith("     2 deselected: by -m or -k") and len(reporter.lines) == 3


def test_many_reasons_end_with_a_count_of_the_rest_and_nothing_is_said_when_all_ran(monkeypatch):
    monkeypatch.setattr(conftest, "SKIP_REASONS_SHOWN", 2)
    reporter = Reporter({"skipped": [skipped(f"reason {i}") for i in range(5)]})
    conftest.pytest_terminal_summary(reporter, 0, None)
    assert reporter.lines[-1].startswith("     3 skipped for 3 other reasons") and len(reporter.lines) == 3
    quiet = Reporter({"passed": [object()]})
    conftest.pytest_terminal_summary(quiet, 0, None)
    assert quiet.lines == [] and quiet.sections == []


def test_the_parity_cases_not_built_are_counted():
    config = SimpleNamespace(stash=pytest.Stash())
    config.stash[conftest.LEFT_OUT] = 1200
    reporter = Reporter({"deselected": [object()] * 2})
    conftest.pytest_terminal_summary(reporter, 0, config)
    assert reporter.lines[0].startswith("     2 deselected: by -m or -k")
    assert reporter.lines[1].startswith(" 1,200 parity cases not built: a seeded slice of each sweep")
    assert "python -m pytest -m parity" in reporter.lines[1]


def test_default_slice_builds_the_rest_only_where_parity_cases_can_run(monkeypatch):
    cases = [(op, dtype) for op in ("add", "mul", "div") for dtype in ("float32", "int64")]
    monkeypatch.setitem(conftest.WHOLE_PRODUCTS, "built", True)
    every = conftest.default_slice(cases, 4)
    assert [p.values for p in every] == cases
    assert [bool(p.marks) for p in every] == [False, True, True, True, False, True]
    assert all([m.name for m in p.marks] == ["parity"] for p in every if p.marks)
    monkeypatch.setitem(conftest.WHOLE_PRODUCTS, "built", False)
    monkeypatch.setitem(conftest.WHOLE_PRODUCTS, "left_out", 0)
    assert conftest.default_slice(cases, 4) == [every[0], every[4]]
    assert conftest.WHOLE_PRODUCTS["left_out"] == 4


@pytest.mark.parametrize("markexpr, built", [
    ("not slow and not parity", False), ("not parity", False), ("slow and not parity", False), ("slow", True),
    ("parity", True), ("", True), ("not slow", True), ("gpu or parity", True), ("not (parity or slow)", False),
])
def test_the_parity_cases_are_built_where_the_mark_expression_can_select_one(markexpr, built):
    assert conftest.may_select("parity", markexpr) is built


def _product(**axes):
    names = list(axes)
    return [dict(zip(names, values)) for values in itertools.product(*axes.values())]


def test_the_parity_slice_holds_every_value_of_every_argument_and_is_seeded():
    ops = [lambda x: x, lambda x: -x, abs]  # objects count by identity, numbers and strings by value
    cases = _product(op=ops, dtype=["float32", "float64", "int64"], shape=[(), (0,), (2, 3), (3, 2)], k=range(7))
    key = lambda case: [(name, conftest._value_key(value)) for name, value in case.items()]  # noqa: E731
    kept = conftest.parity_slice(cases, 10, "tests/pytorch/test_x.py::test_y", key=key)
    assert kept == sorted(kept) and len(set(kept)) == len(kept) and 10 <= len(kept) < len(cases)
    for name, values in [("op", ops), ("dtype", ["float32", "float64", "int64"]),
                         ("shape", [(), (0,), (2, 3), (3, 2)]), ("k", range(7))]:
        assert {conftest._value_key(cases[j][name]) for j in kept} == set(map(conftest._value_key, values)), name
    assert conftest.parity_slice(cases, 10, "tests/pytorch/test_x.py::test_y", key=key) == kept
    assert conftest.parity_slice(cases, 10, "tests/pytorch/test_x.py::test_z", key=key) != kept
    assert conftest.parity_slice(cases[:10], 10, "any", key=key) == list(range(10))
