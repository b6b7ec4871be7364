"""The record of PyTorch's order statistics is PyTorch's: the programs of
tests/pytorch/test_recorded_order_statistics.py
(median, kthvalue, quantile, cummax/cummin, logcumsumexp, nansum/nanmean, aminmax: values, indices, dtypes and
gradients) give on the PyTorch installed here what tests/pytorch/pytorch_records/order_statistics.json says, so the
torch-free comparison of minigan with that record compares with PyTorch.  A record of another PyTorch version is
not compared: ``python tests/pytorch/record_pytorch.py order_statistics`` writes it anew."""

import pytest

from pytorch import record_pytorch

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def test_the_recorded_results_are_pytorchs():
    differences = record_pytorch.stale("order_statistics")
    if differences is None:
        pytest.skip(f"the record is PyTorch {record_pytorch.load('order_statistics')['pytorch']}'s; "
                    f"this is PyTorch {torch.__version__}")
    assert not differences, "\n".join(differences[:40]) + ("\n(python tests/pytorch/record_pytorch.py rewrites the "
                                                           "record)")
