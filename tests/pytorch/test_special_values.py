"""The record of PyTorch at the special values is PyTorch's: the programs of
tests/pytorch/test_recorded_special_values.py
(every elementwise function at ±0, ±1, ±∞, NaN, tiny and huge numbers, and reductions and losses at ties,
infinities and zeros: values and gradients) give on the PyTorch installed here what
tests/pytorch/pytorch_records/special_values.json says, within the comparison's own tolerances, so the torch-free
comparison of minigan with that record compares with PyTorch.  A record of another PyTorch version is not compared:
``python tests/pytorch/record_pytorch.py special_values`` writes it anew."""

import pytest

from pytorch import record_pytorch

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def test_the_recorded_results_are_pytorchs():
    differences = record_pytorch.stale("special_values")
    if differences is None:
        pytest.skip(f"the record is PyTorch {record_pytorch.load('special_values')['pytorch']}'s; "
                    f"this is PyTorch {torch.__version__}")
    assert not differences, "\n".join(differences[:40]) + ("\n(python tests/pytorch/record_pytorch.py rewrites the "
                                                           "record)")
