"""The record of PyTorch's bitwise operators is PyTorch's: the programs of tests/pytorch/test_recorded_bitwise.py (& | ^
~
<< >> and the bitwise_* functions on bool and integer tensors: values, result dtypes, refusals, Python numbers on
either side, in place) give on the PyTorch installed here what tests/pytorch/pytorch_records/bitwise.json says, so the
torch-free comparison of minigan with that record compares with PyTorch.  A record of another PyTorch version is
not compared: ``python tests/pytorch/record_pytorch.py bitwise`` writes it anew."""

import pytest

from pytorch import record_pytorch

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def test_the_recorded_results_are_pytorchs():
    differences = record_pytorch.stale("bitwise")
    if differences is None:
        pytest.skip(f"the record is PyTorch {record_pytorch.load('bitwise')['pytorch']}'s; "
                    f"this is PyTorch {torch.__version__}")
    assert not differences, "\n".join(differences[:40]) + ("\n(python tests/pytorch/record_pytorch.py rewrites the "
                                                           "record)")
