"""What a program prints of tensors and dtypes, and the type names it passes, against PyTorch (tests/pytorch/sweep.py;
the prints of every dtype and style against PyTorch's recorded text, without PyTorch: test_recorded_tensor_prints.py;
torch-free tests: tests/library/test_printoptions.py and test_dtype_names.py):

* repr(tensor) where a record cannot say it: a summarized tensor's style comes from the shown values only, a grad_fn
  PyTorch names otherwise leaves the values' print alike, a user Function names its node as PyTorch's; the dtype
  prints with the library's name (``dtype=minigan.float64``);
* set_printoptions (precision, sci_mode, profile, threshold, edgeitems, linewidth) changes the print exactly as
  torch.set_printoptions does; sci_mode left out goes back to automatic;
* dtypes print as PyTorch's with the library's name, in ``print(x.dtype)`` and a tensor's repr (whose lines break
  where PyTorch's do), with PyTorch's is_floating_point, is_complex, is_signed and itemsize;
* ``x.type(name)`` takes a legacy type name as PyTorch spells it ('torch.FloatTensor'; minigan's own print too) and
  refuses any other string with PyTorch's ValueError ('invalid type'); a legacy name minigan has no dtype for
  (bfloat16, complex) too (docs/pytorch.md: minigan's dtypes).
"""

import re

import numpy as np
import pytest
from library.helpers_dtype_names import NAMES

import minigan
from pytorch.sweep import sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _named(L, text):
    """A print with the library's name read as minigan's."""
    return str(text).replace(L.__name__, "minigan")


def _summarized(L):
    values = np.arange(100, 1200, dtype=np.float32)
    values[500] = 0.5  # a hidden fraction (and a hidden small value) change neither the style nor the width
    return repr(L.tensor(values))


test_summarized_style_is_picked_from_the_shown_values_only = sweep(_summarized, [()], ids=lambda: "1100 values")
OPS = {"relu": lambda L, x: x.relu(), "x @ x.T": lambda L, x: x @ x.T, "reshape": lambda L, x: x.reshape(3, 2),
       "x[0]": lambda L, x: x[0], "max": lambda L, x: x.max(), "float ** 2": lambda L, x: x.float() ** 2}


def _grad_fn_aside(L, op):
    shown = repr(OPS[op](L, L.tensor(np.random.default_rng(6).standard_normal((2, 3)), requires_grad=True)))
    pattern = r"grad_fn=<\w+Backward\d*>"
    return bool(re.search(pattern, shown)), _named(L, re.sub(pattern, "grad_fn", shown))


test_a_result_whose_op_pytorch_names_otherwise_prints_the_same_values = sweep(_grad_fn_aside, list(OPS))


def _user_function(L):
    class Square(L.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return 2 * x * grad

    return _named(L, repr(Square.apply(L.tensor([1.0, 2.0], requires_grad=True))))


test_a_user_function_names_its_node_as_pytorch = sweep(_user_function, [()], ids=lambda: "Square")
OPTIONS = [dict(precision=2), dict(precision=7), dict(sci_mode=False), dict(sci_mode=True), dict(profile="short"),
           dict(profile="full"), dict(threshold=5), dict(threshold=5, edgeitems=1), dict(linewidth=30),
           dict(profile="full", precision=6), dict(precision=1, linewidth=50, sci_mode=True)]
VALUES = [np.array([[1.23456, 2e-5], [3.0, 4.5]]), np.arange(12.0), np.arange(24.0).reshape(2, 3, 4) * 1e5,
          np.array(1.5), np.array([0.1, -2.25, 1e9]), np.linspace(-1, 1, 40).reshape(5, 8), np.arange(2000.0) / 7,
          np.array([1.0, np.nan, -np.inf, 0.0])]


def _printed_under(L, options, then=None):
    """Each value's print, and its print requiring grad, under ``options`` (and then ``then``), the default put back."""
    try:
        L.set_printoptions(**options)
        if then is not None:
            L.set_printoptions(**then)
        return [(repr(L.tensor(v.astype(np.float32))), repr(L.tensor(v.astype(np.float32), requires_grad=True) * 2))
                for v in VALUES]
    finally:
        L.set_printoptions(profile="default")


test_prints_as_pytorch_under_each_option = sweep(_printed_under, [*OPTIONS, (dict(sci_mode=False), dict(precision=4))],
                                                 ids=lambda options, then=None: f"{options}-{then}")
test_a_legacy_type_name_casts_as_pytorchs = sweep(
    lambda L, name: (L.tensor([1.7, -2.0, 0.0]).type(name), L.ones(1).type(name.replace("torch.", L.__name__ + "."))),
    ["torch.FloatTensor", "torch.DoubleTensor", "torch.HalfTensor", "torch.BoolTensor", "torch.LongTensor",
     "torch.IntTensor", "torch.ShortTensor", "torch.CharTensor", "torch.ByteTensor"])
test_another_string_is_pytorchs_value_error = sweep(
    lambda L, name: L.ones(1).type(name),
    ["float", "double", "torch.float32", "FloatTensor", "Tensor", "", "cpu", "cuda", "numpy.float32",
     "torch.Floattensor", "torch..FloatTensor", "torch.nn.FloatTensor"],
    also=lambda ours, theirs: "invalid type" not in str(ours) and f"not PyTorch's words: {ours}")


@pytest.mark.parametrize("name", ["torch.BFloat16Tensor", "torch.ComplexFloatTensor"])
def test_a_legacy_name_without_a_minigan_dtype_is_refused(name):
    assert torch.ones(1).type(name) is not None
    with pytest.raises(ValueError, match="invalid type"):
        minigan.ones(1).type(name)


def _dtype(L, name):
    dtype = getattr(L, name)
    x = L.zeros(2, dtype=dtype)
    return (_named(L, dtype), repr(dtype) == str(dtype), dtype.is_floating_point, dtype.is_complex, dtype.is_signed,
            dtype.itemsize, x.dtype is dtype, _named(L, x.dtype))


test_a_dtype_prints_as_pytorchs = sweep(_dtype, list(NAMES))
PRINTED = {
    "arange float64": lambda L: L.arange(3, dtype=L.float64), "ones int32": lambda L: L.ones(2, 3, dtype=L.int32),
    "empty int64": lambda L: L.zeros(0, dtype=L.int64), "empty 2-d": lambda L: L.zeros(0, 3, dtype=L.float64),
    "lines": lambda L: L.linspace(-1, 1, 30, dtype=L.float64).reshape(3, 10),
    "int16": lambda L: L.arange(24, dtype=L.int16).reshape(2, 12) * 1000,
    "small": lambda L: L.tensor([0.5, 1e-9], dtype=L.float64),
    "wide": lambda L: L.tensor([[1.25, 2.5, 3.75, 4.125, 5.0625, 6.5, 7.125, 8.0, 9.5]], dtype=L.float64) * 1000,
    "uint8": lambda L: L.tensor([1, 2], dtype=L.uint8), "default dtype": lambda L: L.get_default_dtype(),
    "requiring grad": lambda L: L.tensor([1.0], dtype=L.float64, requires_grad=True) * 2,
}
test_what_a_program_prints = sweep(lambda L, made: _named(L, PRINTED[made](L)), list(PRINTED))
