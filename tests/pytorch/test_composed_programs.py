"""Composed programs (tests/pytorch/composed_programs.py) under minigan and under PyTorch: views, in-place ops on views
and bases, grad modes, detach and .data, hooks, retain_grad, autograd.grad with create_graph then a second backward,
autograd.Function, special values, dtypes and NumPy scalars, 2-6 calls a program.  Each program agrees, or differs in
one of the classes composed_programs.KNOWN names (each says why it stays); any other difference fails, with its seed
(``python tests/pytorch/composed_programs.py --show SEED`` prints it minimised)."""

import pytest

from pytorch import composed_programs as programs

pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


# Programs that differ in a class not fixed yet, each with why; a fix makes its programs agree, and the test then
# asks for the entry to go (so the list can only shrink).
OPEN: dict = {}


def _check(start, stop, at_least_agreeing):
    counts, unknown = programs.sweep(start, stop)
    open_here = {seed for seed in OPEN if start <= seed < stop}
    assert [u for u in unknown if u[0] not in OPEN] == [], (unknown, counts)
    assert {u[0] for u in unknown} == open_here, f"fixed: remove {open_here - {u[0] for u in unknown}} from OPEN"
    assert counts["agree"] >= at_least_agreeing * counts["programs"], counts


def test_composed_programs_match_pytorch():
    _check(0, 250, 0.9)


@pytest.mark.slow
def test_twenty_thousand_composed_programs_match_pytorch():
    _check(100_000, 120_000, 0.9)
