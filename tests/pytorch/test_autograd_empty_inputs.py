"""autograd's doors given no inputs, or inputs that are not tensors, or no outputs: autograd.grad, autograd.backward
and Tensor.backward, each against PyTorch's outcome (its exception class, or what it returns and leaves in .grad)."""

import pytest

torch = pytest.importorskip("torch")

import minigan  # noqa: E402
from pytorch.exception_oracle import outcome  # noqa: E402
from pytorch.oracle import pytorch_since  # noqa: E402


def _calls(lib):
    x = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
    y = (x * x).sum()
    g = lib.autograd.grad
    return x, {
        "grad_inputs_empty_list": lambda: g(y, []),
        "grad_inputs_empty_tuple": lambda: g(y, ()),
        "grad_inputs_number": lambda: g(y, 3),
        "grad_inputs_with_number": lambda: g(y, [x, 3]),
        "grad_outputs_empty": lambda: g([], x),
        "grad_outputs_number": lambda: g(3.0, x),
        "backward_inputs_empty": lambda: y.backward(inputs=[]),
        "backward_inputs_number": lambda: y.backward(inputs=[3]),
        "backward_inputs_tensor": lambda: y.backward(inputs=x),
        "autograd_backward_no_tensors": lambda: lib.autograd.backward([], inputs=[x]),
        "autograd_backward_inputs_empty": lambda: lib.autograd.backward([y], inputs=[]),
    }


# autograd.grad given no inputs: RuntimeError from PyTorch 2.13 ("`inputs` argument to `grad()` cannot be empty")
EMPTY_INPUTS = pytorch_since("2.13", "autograd.grad with no inputs raises RuntimeError; 2.11 and 2.12: ValueError")
CASES = [pytest.param(case, marks=[EMPTY_INPUTS] if case.startswith("grad_inputs_empty") else [])
         for case in _calls(minigan)[1]]


def _outcome(lib, case):
    x, calls = _calls(lib)
    result = outcome(lambda: calls[case]())
    if isinstance(result, Exception):
        return type(result)
    result = [None if t is None else t.tolist() for t in result] if isinstance(result, tuple) else result
    return result, None if x.grad is None else x.grad.tolist()


@pytest.mark.parametrize("case", CASES)
def test_autograd_door_as_pytorchs(case):
    theirs, ours = _outcome(torch, case), _outcome(minigan, case)
    if isinstance(theirs, type):
        assert isinstance(ours, type) and issubclass(ours, theirs), f"PyTorch raised {theirs.__name__}, minigan {ours}"
    else:
        assert ours == theirs
