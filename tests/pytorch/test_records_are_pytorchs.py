"""Each record of PyTorch's answers is PyTorch's: for every family of tests/pytorch/record_pytorch.py (the programs of
tests/pytorch/test_recorded_<family>.py and the survey's, the signatures, the tensor and module prints, the class
hierarchy), what the PyTorch installed here gives is what tests/pytorch/pytorch_records/<family>.json says, within
the family's own comparison (its tolerances where it has them), so the torch-free comparisons of minigan with the
records compare with PyTorch.  A record of another PyTorch version is not compared (the case skips, naming both):
``python tests/pytorch/record_pytorch.py <family>`` writes it anew.  A new family is compared here as soon as
record_pytorch.FAMILIES names it."""

import pytest

from pytorch import record_pytorch

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


@pytest.mark.parametrize("family", sorted(record_pytorch.FAMILIES))
def test_the_record_is_what_pytorch_gives(family):
    differences = record_pytorch.stale(family)
    if differences is None:
        pytest.skip(f"the record is PyTorch {record_pytorch.load(family)['pytorch']}'s; "
                    f"this is PyTorch {torch.__version__}")
    assert not differences, "\n".join(differences[:40]) + (f"\n(python tests/pytorch/record_pytorch.py {family} "
                                                           "rewrites the record)")
