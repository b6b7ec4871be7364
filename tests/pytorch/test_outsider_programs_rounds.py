"""Outsider programs, rounds 3, 4 and 5 (tests/pytorch/outsider_programs_round3.py, _round4.py and _round5.py), each
run under PyTorch and under minigan and compared: tensors by dtype, shape, requires_grad and values (rtol 1e-5),
exceptions by PyTorch's class (minigan's must be an instance of it), everything else exactly.  A program in its
round's ``DIFFERS`` is a strict xfail naming the documented difference it shows."""

import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402
from pytorch import outsider_programs_round3, outsider_programs_round4, outsider_programs_round5  # noqa: E402
from pytorch.oracle import APPLY_KEYWORDS  # noqa: E402

ROUNDS = {"round3": outsider_programs_round3, "round4": outsider_programs_round4, "round5": outsider_programs_round5}
# programs that show one PyTorch version's behaviour (tests/pytorch/oracle.py)
SINCE = {("round3", "function_apply_keyword"): APPLY_KEYWORDS}


def _case(round_, name):
    reason = ROUNDS[round_].DIFFERS.get(name)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(round_, name, marks=marks + ([SINCE[round_, name]] if (round_, name) in SINCE else []),
                        id=f"{round_}-{name}")


@pytest.mark.parametrize("round_, name", [_case(r, n) for r, programs in ROUNDS.items() for n in programs.PROGRAMS])
def test_program_matches_pytorch(round_, name):
    outsider_programs_round3.agree(ROUNDS[round_].PROGRAMS[name], torch, minigan)


@pytest.mark.parametrize("round_, least", [("round3", 60), ("round4", 40), ("round5", 50)])
def test_the_programs_are_many_and_each_named_once(round_, least):
    assert len(ROUNDS[round_].PROGRAMS) >= least
    assert set(ROUNDS[round_].DIFFERS) <= set(ROUNDS[round_].PROGRAMS)
