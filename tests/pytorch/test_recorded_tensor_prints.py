"""repr(tensor) prints exactly as PyTorch printed the same values (minigan/surface/printing.py): the int, fixed and
scientific styles with their padding, 80-column wrapping, summarization above 1000 elements, nested brackets, 0-d
and empty tensors, nan/inf/-0.0, every dtype, and the requires_grad/grad_fn suffixes and a Parameter's header.
PyTorch's text is read from tests/pytorch/pytorch_records/tensor_prints.json (tests/pytorch/record_pytorch.py, which
makes the
tensors of each case from the same NumPy values), so this runs without PyTorch; where PyTorch is installed,
tests/pytorch/test_printing.py checks that the record is what PyTorch prints.  The one dtype prints with the
library's
name (``dtype=minigan.float64`` for ``dtype=torch.float64``)."""

from types import SimpleNamespace

import pytest

import minigan
from pytorch import record_pytorch

RECORD = record_pytorch.load("tensor_prints")
CASES = record_pytorch.tensor_print_cases()


@pytest.mark.parametrize("case", list(CASES))
def test_prints_as_pytorch_printed(case):
    assert case in RECORD["records"], "no record: run python tests/pytorch/record_pytorch.py tensor_prints"
    for spec, theirs in zip(CASES[case], RECORD["records"][case], strict=True):
        ours = record_pytorch.printed(minigan, spec)
        assert ours == theirs, f"{spec[1:]}: minigan prints\n{ours}\nPyTorch printed\n{theirs}"


def test_every_case_is_recorded_and_every_record_is_a_case():
    assert set(RECORD["records"]) == set(CASES)


def test_str_is_repr():
    for values in ([1.0, 2.5], [[1, 2]], 3.0):
        x = minigan.tensor(values)
        assert str(x) == repr(x)


def test_reference_outputs():
    """A few prints as PyTorch's documentation and tutorials show them."""
    assert repr(minigan.tensor([1.0, 2.5])) == "tensor([1.0000, 2.5000])"
    assert repr(minigan.tensor(2.5)) == "tensor(2.5000)"
    assert repr(minigan.zeros(0, 3)) == "tensor([], size=(0, 3))"
    assert repr(minigan.tensor([1, 2], dtype=minigan.float64)) == "tensor([1., 2.], dtype=minigan.float64)"
    assert repr(minigan.ones(2, 2, 2)) == ("tensor([[[1., 1.],\n         [1., 1.]],\n\n"
                                           "        [[1., 1.],\n         [1., 1.]]])")


@pytest.mark.skipif(not minigan.cuda.is_available(), reason="needs a GPU")
def test_a_gpu_tensor_names_its_device_first():
    ours = minigan.tensor([1.0, 2.5], device="cuda", requires_grad=True)
    assert repr(ours) == "tensor([1.0000, 2.5000], device='cuda:0', requires_grad=True)"
    assert repr(minigan.zeros(0, 2, device="cuda")) == "tensor([], device='cuda:0', size=(0, 2))"


def test_device_comes_first_among_the_suffixes():
    """(Without a GPU: a stand-in that says it lives on cuda, to check PyTorch's order of the suffixes.)"""
    from minigan.surface.printing import tensor_repr

    x = minigan.tensor([1.0, 2.5], dtype=minigan.float64)
    on_gpu = SimpleNamespace(array=x.array, device=minigan.device("cuda:0"), grad_fn=None, requires_grad=True)
    assert tensor_repr(on_gpu) == ("tensor([1.0000, 2.5000], device='cuda:0', dtype=minigan.float64,\n"
                                   "       requires_grad=True)")  # (PyTorch's line, with "torch.float64", passes 80)
    empty = SimpleNamespace(array=minigan.zeros(0, 2).array, device=minigan.device("cuda:0"), grad_fn=None,
                            requires_grad=False)
    assert tensor_repr(empty) == "tensor([], device='cuda:0', size=(0, 2))"
