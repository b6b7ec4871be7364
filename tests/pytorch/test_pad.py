"""F.pad against PyTorch (tests/pytorch/sweep.py), in its four modes:

* it gives a new tensor in every mode: with nothing to pad, or only negative sizes (a crop), the result shares no
  memory with the input (a write into it leaves the input as it was), and gradients flow;
* the reflect and replicate kernels' checks: PyTorch pads by kernels (reflection_pad1d/2d/3d, replication_pad...)
  that take a batch of size 0 but no other size 0 ("Expected 2D or 3D (batch mode) tensor with possibly 0 batch size
  and other non-zero dimensions": RuntimeError), then have no bool form (NotImplementedError); circular padding is a
  composite that takes both.  Over six dtypes and inputs of one sample or a batch, with and without sizes 0;
* its result is laid out as PyTorch's, row-major, in every mode, so that a later view of it is a view there too
  (``flatten()`` shares its memory), and its values are PyTorch's; the non-constant modes refuse a value other than
  0 (RuntimeError), then 2·k sizes need a (k + 1)- or (k + 2)-D input (NotImplementedError), as PyTorch's kernels
  pad one sample or a batch;
* in constant mode where nothing grows (no padding, or only cropping), PyTorch's constant_pad_nd returns ``clone()``
  of the (cropped) input, a copy that keeps the input's layout (preserve_format), and a new row-major tensor
  otherwise (minigan made every result row-major, so a later ``flatten()`` of a permuted input padded by zeros was a
  view where PyTorch's is a copy): values, strides and gradient over input layouts;
* the constant value goes into the input's dtype by PyTorch's checked conversion: NaN, ±∞ or a number beyond an
  integer dtype's range is its RuntimeError (minigan's DomainError is one), a fraction is truncated, and a float32
  input refuses a finite number beyond float32's range;
* every mode's values and gradient, and the padding layers (their repr too).
"""

import itertools

import numpy as np
import pytest

import minigan
from pytorch.sweep import sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

MODES = ["constant", "reflect", "replicate", "circular"]


def _strides(y):
    """The strides of the dimensions longer than 1 (the others' are not used)."""
    return tuple(s for s, n in zip(y.stride(), y.shape) if n > 1)


def _new_tensor(L, mode, pad):
    x = L.arange(24.0, dtype=L.float64).reshape(1, 2, 3, 4).requires_grad_()
    y = L.nn.functional.pad(x, pad, mode)
    shares = y.data_ptr() == x.data_ptr() or y is x
    (y * L.arange(float(y.numel()), dtype=L.float64).reshape(y.shape)).sum().backward()
    return shares, y.detach(), x.grad


test_pad_result_is_a_new_tensor_as_pytorchs = sweep(_new_tensor, list(itertools.product(
    MODES, [[0, 0], [0, 0, 0, 0], [-1, 0], [0, -1, -1, 0], [1, 0], [1, 1, 0, 1]])))
INPUTS = [((2, 3, 4, 5), (0, 2, 1, 1)), ((2, 3, 5), (1, 1)), ((3, 5), (2, 1)), ((0, 3), (2, 1)), ((3, 0), (1, 1)),
          ((0, 3, 4), (1, 1)), ((2, 0, 4), (1, 1)), ((1, 2, 3, 4, 5), (1, 1, 1, 1, 1, 1)), ((2, 3, 0, 4), (1, 1, 1, 1)),
          ((0, 2, 3, 4), (1, 1, 1, 1)), ((3, 4, 5), (1, 1, 1, 1)), ((0, 4, 5), (1, 1, 1, 1))]


def _kernels(L, mode, dtype, shape, pad):
    return L.nn.functional.pad(L.ones(shape, dtype=getattr(L, dtype)), pad, mode=mode)


test_the_pad_kernels_refuse_as_pytorchs = sweep(_kernels, [(m, d, *i) for m in MODES for d in [
    "float64", "float32", "int64", "uint8", "bool", "float16"] for i in INPUTS])


def _row_major(L, mode, shape, pads):
    y = L.nn.functional.pad(L.tensor(np.arange(float(np.prod(shape))).reshape(shape)), pads, mode)
    return y, y.flatten().data_ptr() == y.data_ptr(), _strides(y)


test_pad_results_are_row_major_as_pytorchs = sweep(_row_major, [(m, *c) for m in MODES for c in [
    ((4, 4), (2, 0)), ((2, 3, 4), (2, 0, 1, 0)), ((2, 3, 4, 5), (0, 2, 0, 2)), ((2, 3, 4, 5), (1, 1, 2, 1)),
    ((2, 3, 4), (1, 2)), ((1, 2, 3, 4), (0, 0, 1, 1))]], group=lambda mode, *case: mode)


def _ranks(L, shape, pads, mode, value):
    return L.nn.functional.pad(L.tensor(np.arange(float(np.prod(shape))).reshape(shape)), pads, mode, value)


test_pad_modes_take_the_ranks_and_values_pytorchs_take = sweep(_ranks, list(itertools.product(
    [(4,), (3, 4), (2, 3, 4), (1, 2, 3, 4), (1, 1, 2, 3, 4)], [(1, 1), (1, 1, 1, 1), (1, 1, 1, 1, 1, 1),
                                                             (1, 1, 1, 1, 1, 1, 1, 1)],
    ("reflect", "replicate", "circular"), (None, 0, 1.5))), group=lambda *case: "all")


def _input(L, layout):
    base = L.tensor(np.arange(120.0).reshape(2, 3, 5, 4), dtype=L.float64, requires_grad=True)
    return base, {"contiguous": lambda: base * 1, "permuted": lambda: (base * 1).permute(0, 1, 3, 2),
                  "transposed": lambda: (base * 1).transpose(0, 3),
                  "channels-last": lambda: (base * 1).permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2),
                  "expanded": lambda: (base * 1)[:1].expand(3, 3, 5, 4),
                  "strided": lambda: (base * 1)[:, :, ::2]}[layout]()


def _nothing_grown(L, pad, layout):
    base, x = _input(L, layout)
    out = L.nn.functional.pad(x, pad, value=7.0)
    weights = L.arange(1.0, 1.0 + out.numel(), dtype=L.float64).reshape(out.shape)
    return _strides(out), out.detach(), L.autograd.grad((out * weights).sum(), base)[0]


test_constant_pad_keeps_the_layout_where_nothing_grows_as_pytorchs = sweep(_nothing_grown, list(itertools.product(
    [[0, 0], [0, 0, 0, 0], [0, -1], [-1, 0, 0, -1], [1, -1], [0, 1], [0, 0, 0, 0, 0, 0, 0, 0]],
    ["contiguous", "permuted", "transposed", "channels-last", "expanded", "strided"])))


def _value(L, dtype, value, shape):
    return L.nn.functional.pad(L.zeros(shape, dtype=getattr(L, dtype)), [1, 1], value=value)


test_pad_value_converted_as_pytorchs = sweep(_value, list(itertools.product(
    ["int64", "int32", "uint8", "float32", "float64", "bool"],
    [float("nan"), float("inf"), -float("inf"), 1e30, -1e30, 2.5, -3, 0, 1e40, 300], [(2, 3), (3, 0)])))


def _pad_mode(L, mode, pad):
    """Values and gradient of every mode and padding (two numbers: a (N, C, L) input, as PyTorch's modes pad)."""
    x0 = np.arange(2 * 2 * 4 * 5, dtype=np.float64).reshape(2, 2, 4, 5)
    x = L.tensor(x0[:, :, 0] if len(pad) == 2 else x0, requires_grad=True)
    out = L.nn.functional.pad(x, pad, mode=mode)
    (out * L.tensor(np.arange(out.numel(), dtype=np.float64).reshape(tuple(out.shape)))).sum().backward()
    return out.detach(), x.grad


test_pad_modes_match_pytorch = sweep(_pad_mode, list(itertools.product(
    ["reflect", "replicate", "circular", "constant"], [(1, 2), (1, 2, 3, 0), (0, 0, 2, 2), (3, 1, 1, 3)])))


def _padding_layer(L, name, padding):
    x0 = np.arange(2 * 3 * 4 * 5, dtype=np.float64).reshape(2, 3, 4, 5)
    layer = getattr(L.nn, name)(padding)
    return repr(layer), layer(L.tensor(x0[:, :, 0] if name.endswith("1d") else x0))


test_padding_layers_match_pytorch = sweep(_padding_layer, [
    (name, padding) for name in ["ReflectionPad2d", "ReplicationPad2d", "CircularPad2d", "ReflectionPad1d",
                                 "ReplicationPad1d", "CircularPad1d"]
    for padding in (2, (1, 2) if name.endswith("1d") else (1, 2, 3, 0))])


def test_pad_refuses_in_one_line():
    with pytest.raises(ValueError, match="reflect padding"):
        minigan.nn.functional.pad(minigan.ones(1, 1, 3), (3, 0), mode="reflect")
    with pytest.raises(ValueError, match="value is for mode='constant' only"):
        minigan.nn.functional.pad(minigan.ones(1, 1, 3), (1, 0), mode="replicate", value=1.0)
