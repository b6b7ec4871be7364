"""Composed programs (tests/pytorch/composed_programs.py) under minigan and under PyTorch: views, in-place ops on views
and bases, grad modes, detach and .data, hooks, retain_grad, autograd.grad with create_graph then a second backward,
autograd.Function, special values, dtypes and NumPy scalars, 2-6 calls a program.  Each program agrees, or differs in
one of the classes composed_programs.KNOWN names (each says why it stays); any other difference fails, with its seed
(``python tests/pytorch/composed_programs.py --show SEED`` prints it minimised)."""

import pytest

from pytorch import composed_programs as programs

pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _check(start, stop, at_least_agreeing):
    counts, unknown = programs.sweep(start, stop)
    assert unknown == [], (unknown, counts)
    assert counts["agree"] >= at_least_agreeing * counts["programs"], counts


def test_composed_programs_match_pytorch():
    _check(0, 250, 0.9)


@pytest.mark.slow
def test_twenty_thousand_composed_programs_match_pytorch():
    _check(100_000, 120_000, 0.9)
