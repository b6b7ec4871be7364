"""The record of PyTorch's argument names and order is PyTorch's: every public function of torch.nn.functional and
class of torch.nn and torch.optim on the PyTorch installed here takes by position the names that
tests/pytorch/pytorch_records/signatures.json says, so the torch-free check of minigan's signatures against that record
(tests/pytorch/test_recorded_signatures.py) checks against PyTorch.  A record of another PyTorch version is not
compared:
``python tests/pytorch/record_pytorch.py signatures`` writes it anew."""

import pytest

from pytorch import record_pytorch

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def test_the_recorded_signatures_are_pytorchs():
    differences = record_pytorch.stale("signatures")
    if differences is None:
        pytest.skip(f"the record is PyTorch {record_pytorch.load('signatures')['pytorch']}'s; "
                    f"this is PyTorch {torch.__version__}")
    assert not differences, "\n".join(differences[:40]) + ("\n(python tests/pytorch/record_pytorch.py rewrites the "
                                                           "record)")
