"""The surface programs (tests/pytorch/surface_programs.py) with every drawn tensor 0-d or small, float32 most often:
a 0-d tensor's results, dtypes and gradients are PyTorch's on every NumPy declared.

NumPy 1.x promotes by value where every operand is 0-d: an op's own constant (``1 / a``, a select against 0, ``0.5 *
a``) made a 0-d float32 a float64 there (PyTorch and NumPy 2: the float32 stays), and its clip ignored a NaN bound.
Mixed 0-d float32 and float64 operands, which do make a float64 on both, are drawn beside them.  These run on any
NumPy; the lowest_numpy session of noxfile.py (NumPy 1.24) is where they can fail."""

import pytest

pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

from pytorch import surface_programs as sp  # noqa: E402
from pytorch import surface_programs_draw  # noqa: E402


@pytest.fixture
def zero_d(monkeypatch):
    # (the generator draws each tensor's shape and dtype from these module lists: here 0-d four times in five)
    monkeypatch.setattr(surface_programs_draw, "SHAPES", [()] * 4 + [(3,)])
    monkeypatch.setattr(surface_programs_draw, "DTYPES", ["float32"] * 6 + ["float64", "int64"])


def _sweep(start, stop):
    result = sp.sweep(start, stop)
    assert sum(result["counts"].values()) == stop - start
    return result


def test_zero_d_programs_agree_with_pytorch(zero_d):
    """200 programs at seeds 20,000,000 up: none differs (on NumPy 1.24, before the 0-d results took NumPy 2's
    dtype, 5 of them did: erfinv, erfc, sigmoid, mish, silu)."""
    result = _sweep(20_000_000, 20_000_200)
    differ = {what: (n, result["examples"][what]) for what, n in result["classes"].items()
              if not what.startswith(("docs/pytorch.md", "known"))}
    assert result["counts"]["differ"] == 0, differ


@pytest.mark.slow
def test_four_thousand_zero_d_programs_agree_with_pytorch(zero_d):
    result = _sweep(20_000_000, 20_004_000)
    differ = {what: (n, result["examples"][what]) for what, n in result["classes"].items()
              if not what.startswith(("docs/pytorch.md", "known"))}
    assert result["counts"]["differ"] == 0, differ
