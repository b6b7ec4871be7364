"""Outsider programs, round 4 (tests/pytorch/outsider_programs_round4.py), each run under PyTorch and under
minigan and compared: tensors by dtype, shape, requires_grad and values (rtol 1e-5), exceptions by PyTorch's class
(minigan's must be an instance of it), everything else exactly.  A program in ``DIFFERS`` is a strict xfail naming
the documented difference it shows."""

import warnings

import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402
from pytorch import outsider_programs_round4 as programs  # noqa: E402

SINCE = {}


def _case(name):
    reason = programs.DIFFERS.get(name)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(name, marks=marks + ([SINCE[name]] if name in SINCE else []))


@pytest.mark.parametrize("name", [_case(name) for name in programs.PROGRAMS])
def test_program_matches_pytorch(name):
    fn = programs.PROGRAMS[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = programs.run(fn, torch)
        mine = programs.run(fn, minigan)
    assert not isinstance(theirs, programs.Raised), f"the program fails under PyTorch: {theirs!r}"
    difference = programs.compare(mine, theirs)
    assert difference is None, difference


def test_the_programs_are_many_and_each_named_once():
    assert len(programs.PROGRAMS) >= 40
    assert set(programs.DIFFERS) <= set(programs.PROGRAMS)
