"""The test run explains its own skips: conftest.pytest_terminal_summary writes one line per reason, with counts."""

from __future__ import annotations

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


def test_the_cases_of_exhaustive_products_not_built_are_counted():
    config = SimpleNamespace(stash=pytest.Stash())
    config.stash[conftest.LEFT_OUT] = 1200
    reporter = Reporter({"deselected": [object()] * 2})
    conftest.pytest_terminal_summary(reporter, 0, config)
    assert reporter.lines[0].startswith("     2 deselected: by -m or -k")
    assert reporter.lines[1].startswith(" 1,200 cases of exhaustive products not built: a slice of each ran")


def test_default_slice_builds_the_whole_product_only_where_slow_tests_can_run(monkeypatch):
    cases = [(op, dtype) for op in ("add", "mul", "div") for dtype in ("float32", "int64")]
    monkeypatch.setitem(conftest.WHOLE_PRODUCTS, "built", True)
    both = conftest.default_slice(cases, 4)
    assert [p.values for p in both[:2]] == [("add", "float32"), ("div", "float32")]
    assert [p.id for p in both[2:]] == [f"all-{op}-{dtype}" for op, dtype in cases]
    assert all([m.name for m in p.marks] == ["slow"] for p in both[2:]) and not any(p.marks for p in both[:2])
    monkeypatch.setitem(conftest.WHOLE_PRODUCTS, "built", False)
    monkeypatch.setitem(conftest.WHOLE_PRODUCTS, "left_out", 0)
    assert conftest.default_slice(cases, 4) == both[:2]
    assert conftest.WHOLE_PRODUCTS["left_out"] == len(cases)
