"""The PyTorch surface: every public name of PyTorch's main namespaces is implemented, different on purpose
(listed), or not provided with a one-line error that says what to use instead; docs/pytorch.md's coverage
table is generated from the same data and is up to date.

(Its torch-free tests: tests/library/test_pytorch_surface.py.)"""

import re
import sys

import pytest
from library.helpers_pytorch_surface import ROOT

import minigan
from minigan.surface import missing as _missing

sys.path.insert(0, str(ROOT / "docs"))
import make_coverage  # noqa: E402


def _torch():
    """PyTorch, if it is the version docs/pytorch.md was measured against (another version has other names)."""
    torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
    measured = re.search(r"Measured against PyTorch ([0-9.]+)", make_coverage.DOC.read_text()).group(1)
    if torch.__version__.split("+")[0] != measured:
        pytest.skip(f"the coverage table is PyTorch {measured}'s; this is PyTorch {torch.__version__}")
    return torch


def test_every_pytorch_name_is_implemented_different_or_in_the_table():
    _torch()
    missing = {space: names for space, names in make_coverage.unclassified().items() if names}
    assert not missing, f"PyTorch names minigan neither has nor lists in minigan/_missing.py: {missing}"


def test_the_coverage_doc_is_up_to_date():
    _torch()
    text = make_coverage.DOC.read_text()
    assert make_coverage.updated(text) == text, "docs/pytorch.md is out of date: run python docs/make_coverage.py"


def test_tensor_attribute_advice():
    assert hasattr(minigan.Tensor, "sin") or "minigan.sin(x" in _missing.advice("torch.Tensor", "sin")
    assert "clamp_min(" in _missing.advice("torch.Tensor", "clamp_min_")
    assert "complex" in _missing.advice("torch.Tensor", "conj")
    assert _missing.advice("torch.Tensor", "no_such_thing") is None
