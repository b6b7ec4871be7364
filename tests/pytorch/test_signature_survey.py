"""Every PyTorch signature of a name minigan shares (torch, Tensor, nn.functional, linalg; overloads of functions
written in C included) binds to minigan's callable, its arguments given by position and by name
(tests/pytorch/signature_survey.py), except the few listed here, each with its reason."""

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from pytorch import signature_survey  # noqa: E402

OUT_DTYPE = "out_dtype: new in PyTorch 2.13, the result dtype of a low-precision GPU product"
LEFT_OUT = {
    "torch.addmm": OUT_DTYPE, "torch.baddbmm": OUT_DTYPE, "torch.bmm": OUT_DTYPE, "torch.mm": OUT_DTYPE,
    "torch.Tensor.new": "the legacy constructor takes its data or sizes by position (x.new(2, 3), x.new(data)); "
                        "new(storage=) and new(other=), a storage or a tensor to wrap, are not provided",
    "torch.nn.functional.normalize": "out= is not provided",
    "torch.Tensor.copy_": "the documentation's copy_(src, non_blocking) names src, which PyTorch's parser refuses "
                          "(copy_(src=y) is a TypeError: its argument is other); minigan refuses it too",
}


@pytest.fixture(scope="module")
def failures():
    torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
    measured = re.search(r"Measured against PyTorch ([0-9.]+)",
                         (Path(__file__).parents[2] / "docs" / "pytorch.md").read_text()).group(1)
    if torch.__version__.split("+")[0] != measured:
        pytest.skip(f"the survey's list is PyTorch {measured}'s; this is PyTorch {torch.__version__}")
    checked, lines, names = signature_survey.survey()
    assert names > 600 and checked > 700  # the survey reads PyTorch's signatures (it would pass reading none)
    return lines


def test_every_pytorch_signature_binds_or_is_listed(failures):
    unlisted = [line for line in failures if line.split("(")[0] not in LEFT_OUT]
    assert not unlisted, "PyTorch signatures minigan does not accept:\n" + "\n".join(unlisted)


def test_every_listed_name_still_fails(failures):
    stale = set(LEFT_OUT) - {line.split("(")[0] for line in failures}
    assert not stale, f"accepted now: remove them from LEFT_OUT: {sorted(stale)}"


def test_the_survey_finds_what_it_should():
    """The survey's own parts: a docstring line, a parser overload, a binding that fails."""
    pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
    ov = signature_survey._overload(signature_survey._split("input, dim=None, *, dtype=None, out=None"), False)
    assert ov == (("input", "dim"), ("dtype", "out"), False)
    parser = signature_survey._overload(signature_survey._split(
        "float mean, float std, tuple of ints size, *, torch.Generator generator = None, bool requires_grad = False"),
        False)
    assert parser == (("mean", "std", "size"), ("generator", "requires_grad"), False)

    def normal(mean, std=1.0, size=None, *, generator=None):
        return mean

    import inspect
    assert signature_survey.check(inspect.signature(normal), parser, False) == ["keyword requires_grad="]
