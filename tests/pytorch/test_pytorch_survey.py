"""The survey's record is PyTorch's: each program of tests/pytorch/survey/idioms_*.py run on the PyTorch installed here
gives back what tests/pytorch/pytorch_records/survey_programs.json says (within the comparison's tolerance), so the
torch-free comparison of minigan with that record (tests/pytorch/test_recorded_survey.py) compares with PyTorch.  A
record
of another PyTorch version is not compared: ``python tests/pytorch/record_pytorch.py survey_programs`` writes it anew.
"""

import pytest

from pytorch import record_pytorch

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def test_the_recorded_results_are_pytorchs():
    differences = record_pytorch.stale("survey_programs")
    if differences is None:
        pytest.skip(f"the record is PyTorch {record_pytorch.load('survey_programs')['pytorch']}'s; "
                    f"this is PyTorch {torch.__version__}")
    assert not differences, "\n".join(differences[:40]) + ("\n(python tests/pytorch/record_pytorch.py rewrites the "
                                                           "record)")
