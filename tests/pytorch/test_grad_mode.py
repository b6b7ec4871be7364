"""Grad mode and the requires_grad flag against PyTorch (tests/pytorch/sweep.py):

* the grad-mode switches called with their arguments by keyword, as PyTorch's signatures name them
  (``inference_mode(mode=False)``, ``set_grad_enabled(mode=False)``, ``detect_anomaly(check_nan=True)``), as
  context managers and as decorators (``inference_mode`` bare too), under no_grad and enable_grad: whether a product
  of a tensor that requires grad is recorded and whether grad mode is on, or the refusal's class; nested, what
  is_inference_mode_enabled and is_grad_enabled say inside each block and after;
* ``set_detect_anomaly`` as a call and as a context manager, inside detect_anomaly or not: what
  is_anomaly_enabled says; under it a NaN gradient raises minigan's AnomalyError, and the mode is put back;
* a tensor's requires_grad takes a bool: ``x.requires_grad_(1)`` is a TypeError and ``x.requires_grad = None`` a
  RuntimeError, and the flag stays as it was (NumPy's bool is taken, a difference docs/pytorch.md lists);
* an integer or bool tensor that requires grad: fill_, masked_fill_ and index_fill_ of a value that requires grad
  record the write whatever the tensor's dtype (tests/pytorch/test_number_writes.py), so the integer tensor comes to
  require grad.  PyTorch then refuses ("Autograd not support dtype: Long", a RuntimeError) at the next op that would
  record an integer or bool result of it: a view (flatten, x[0], t()), arithmetic, a reduction, a copy (clone,
  cat).  It runs what records nothing: a comparison, argmax, detach(), an integer cast (int(), bool()), floor
  division; a cast to floating point, or an op whose result is floating (x * 2.0), records and requires grad; an
  in-place op keeps the tensor's history.  The fill values PyTorch reads as numbers (full, full_like, new_full)
  refuse a tensor that requires grad with a TypeError.
"""

import contextlib
import itertools

import pytest

import minigan
from pytorch.sweep import outcome, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

CALLS = {
    "inference_mode(mode=True)": lambda L: L.inference_mode(mode=True),
    "inference_mode(mode=False)": lambda L: L.inference_mode(mode=False),
    "inference_mode(False)": lambda L: L.inference_mode(False),
    "inference_mode()": lambda L: L.inference_mode(),
    "inference_mode": lambda L: L.inference_mode,  # (bare: a decorator)
    "set_grad_enabled(mode=False)": lambda L: L.set_grad_enabled(mode=False),
    "set_grad_enabled(mode=True)": lambda L: L.set_grad_enabled(mode=True),
    "no_grad()": lambda L: L.no_grad(),
    "enable_grad()": lambda L: L.enable_grad(),
    "autograd.set_grad_enabled(mode=False)": lambda L: L.autograd.set_grad_enabled(mode=False),
    "detect_anomaly(check_nan=True)": lambda L: L.autograd.detect_anomaly(check_nan=True),
    "detect_anomaly(check_nan=False)": lambda L: L.autograd.detect_anomaly(check_nan=False),
    "inference_mode(mode=False, x=1)": lambda L: L.inference_mode(mode=False, x=1),
    "no_grad(mode=False)": lambda L: L.no_grad(mode=False),
}


def _switched(L, call, how, outer):
    """Whether a product is recorded and grad mode on, or the switch's refusal (a keyword it lacks: Python's
    TypeError, raised before any of minigan's code runs)."""
    x = L.ones(2, requires_grad=True)
    with (L.no_grad() if outer == "no_grad" else L.enable_grad()):
        switch = outcome(CALLS[call], L)
        if isinstance(switch, Exception):
            return [switch]
        if how == "context":
            with switch:
                return (x * 2).requires_grad, L.is_grad_enabled()
        return switch(lambda t: ((t * 2).requires_grad, L.is_grad_enabled()))(x)


test_grad_mode_by_keyword = sweep(_switched, [
    (call, how, outer) for call in CALLS for how in ["context", "decorator"] for outer in ["no_grad", "enable_grad"]
    if not (call == "inference_mode" and how == "context")  # (bare: a decorator only)
    and not ("detect_anomaly" in call and how == "decorator")])  # (PyTorch's detect_anomaly is no decorator)

NESTINGS = [("inference_mode", True), ("inference_mode", False), ("no_grad", None), ("enable_grad", None)]


def _nested(L, nesting):
    """is_inference_mode_enabled and is_grad_enabled inside each block of the nesting, and after it."""
    seen = []

    def enter(depth):
        if depth == len(nesting):
            return
        name, mode = nesting[depth]
        with (getattr(L, name)(mode) if mode is not None else getattr(L, name)()):
            seen.append((L.is_inference_mode_enabled(), L.is_grad_enabled()))
            enter(depth + 1)
            seen.append((L.is_inference_mode_enabled(), L.is_grad_enabled()))

    enter(0)
    return seen + [(L.is_inference_mode_enabled(), L.is_grad_enabled())]


test_nested_modes_as_pytorchs = sweep(_nested, [
    (n,) for k in (1, 2, 3) for n in itertools.product(NESTINGS, repeat=k)],
    ids=lambda n: "/".join(f"{a}({b})" if b is not None else a for a, b in n))


def _flag(L, way, value):
    """What the call gives (the tensor itself, or its refusal), and the flag after it."""
    x = L.zeros(2, dtype=L.float64)
    if way == "method":
        result = outcome(x.requires_grad_, value)
        result = result if isinstance(result, Exception) else result is x
    else:
        result = outcome(setattr, x, "requires_grad", value)
    return result, x.requires_grad


test_requires_grad_takes_a_bool = sweep(_flag, itertools.product(
    ["method", "attribute"], [True, False, 1, 0, None, "yes", 1.0]))


def _anomaly_states(L, start):
    seen = []
    with L.autograd.detect_anomaly() if start else contextlib.nullcontext():
        L.autograd.set_detect_anomaly(False)
        seen.append(L.is_anomaly_enabled())
        with L.autograd.set_detect_anomaly(True):
            seen.append(L.is_anomaly_enabled())
        seen.append(L.is_anomaly_enabled())
        L.autograd.set_detect_anomaly(True)
        seen.append(L.is_anomaly_enabled())
        L.autograd.set_detect_anomaly(start)
    return seen + [L.is_anomaly_enabled()]


test_set_detect_anomaly_call_and_context = sweep(_anomaly_states, [False, True])


def test_set_detect_anomaly_catches_nan_and_inference_mode_is_autograds_too():
    x = minigan.tensor([0.0], requires_grad=True)
    with minigan.autograd.set_detect_anomaly(True), pytest.raises(minigan.AnomalyError):
        (x / x).sum().backward()
    assert not minigan.is_anomaly_enabled()
    with minigan.autograd.inference_mode():
        assert not minigan.is_grad_enabled()


USES = {
    # views
    "flatten": lambda L, x: x.flatten(), "view": lambda L, x: x.view(-1), "reshape": lambda L, x: x.reshape(-1),
    "view_as": lambda L, x: x.view_as(x), "x[0]": lambda L, x: x[0], "x[:, 1:]": lambda L, x: x[:, 1:],
    "t": lambda L, x: x.t(), "T": lambda L, x: x.T, "permute": lambda L, x: x.permute(1, 0),
    "transpose": lambda L, x: x.transpose(0, 1), "unsqueeze": lambda L, x: x.unsqueeze(0),
    "squeeze": lambda L, x: x.squeeze(), "expand": lambda L, x: x.expand(2, 2, 3),
    "narrow": lambda L, x: x.narrow(1, 0, 2), "unbind": lambda L, x: x.unbind(0)[0],
    "chunk": lambda L, x: x.chunk(2)[0], "split": lambda L, x: x.split(1)[0], "movedim": lambda L, x: x.movedim(0, 1),
    # copies and selections
    "contiguous": lambda L, x: x.contiguous(), "clone": lambda L, x: x.clone(), "x[index]": lambda L, x: x[L.tensor(
        [1, 0])], "x[mask]": lambda L, x: x[L.tensor([True, False])], "gather": lambda L, x: x.gather(1, L.tensor(
            [[0], [1]])), "index_select": lambda L, x: x.index_select(0, L.tensor([1])), "flip": lambda L, x: x.flip(0),
    "roll": lambda L, x: x.roll(1), "repeat": lambda L, x: x.repeat(2, 1), "tile": lambda L, x: x.tile(2),
    "tril": lambda L, x: x.tril(), "cat": lambda L, x: L.cat([x, x]), "stack": lambda L, x: L.stack([x, x]),
    "where": lambda L, x: L.where(x > 0, x, 0), "masked_fill": lambda L, x: x.masked_fill(x > 0, 0),
    "index_put": lambda L, x: x.index_put((L.tensor([0]),), L.tensor(1, dtype=x.dtype)),
    "diff": lambda L, x: x.diff(), "sort": lambda L, x: x.sort()[0], "sort indices": lambda L, x: x.sort()[1],
    "topk": lambda L, x: x.topk(1)[0], "unique": lambda L, x: L.unique(x),
    # arithmetic and reductions
    "x + 1": lambda L, x: x + 1, "x * 2": lambda L, x: x * 2, "x + x": lambda L, x: x + x, "-x": lambda L, x: -x,
    "abs": lambda L, x: x.abs(), "x % 2": lambda L, x: x % 2, "x ** 2": lambda L, x: x ** 2,
    "sign": lambda L, x: x.sign(), "clamp": lambda L, x: x.clamp(0, 1), "maximum": lambda L, x: L.maximum(x, x),
    "matmul": lambda L, x: x @ x.t(), "div floor": lambda L, x: L.div(x, 2, rounding_mode="floor"),
    "sum": lambda L, x: x.sum(), "sum(0)": lambda L, x: x.sum(0), "prod": lambda L, x: x.prod(),
    "cumsum": lambda L, x: x.cumsum(0), "max": lambda L, x: x.max(), "max(0)": lambda L, x: x.max(0)[0],
    "amax": lambda L, x: x.amax(0), "min": lambda L, x: x.min(), "min(0)": lambda L, x: x.min(0)[0],
    "one_hot": lambda L, x: L.nn.functional.one_hot(x.long(), 4),
    # what records nothing, or a floating result
    "detach": lambda L, x: x.detach(), "x.data": lambda L, x: x.data, "x == 1": lambda L, x: x == 1,
    "x > 0": lambda L, x: x > 0, "isnan": lambda L, x: L.isnan(x), "argmax": lambda L, x: x.argmax(),
    "nonzero": lambda L, x: x.nonzero(), "count_nonzero": lambda L, x: L.count_nonzero(x), "any": lambda L, x: x.any(),
    "logical_not": lambda L, x: L.logical_not(x), "x & x": lambda L, x: x & x, "x // 2": lambda L, x: x // 2,
    "floor_divide": lambda L, x: L.floor_divide(x, 2),
    "long": lambda L, x: x.long(), "int": lambda L, x: x.int(), "bool": lambda L, x: x.bool(),
    "to(int32)": lambda L, x: x.to(L.int32), "to(copy=True)": lambda L, x: x.to(copy=True),
    "to(int64, copy=True)": lambda L, x: x.to(L.int64, copy=True), "type(int64)": lambda L, x: x.type(L.int64),
    "type(int32)": lambda L, x: x.type(L.int32), "cpu()": lambda L, x: x.cpu(),
    "double": lambda L, x: x.double(), "float": lambda L, x: x.float(),
    "to(float64)": lambda L, x: x.to(L.float64), "sum(dtype=float64)": lambda L, x: x.sum(dtype=L.float64),
    "mean(dtype=float64)": lambda L, x: x.mean(dtype=L.float64), "x * 2.0": lambda L, x: x * 2.0,
    "where(x > 0, x, 0.5)": lambda L, x: L.where(x > 0, x, 0.5), "zeros_like": lambda L, x: L.zeros_like(x),
    "new_zeros": lambda L, x: x.new_zeros(2), "tolist": lambda L, x: L.tensor(x.tolist()),
    # in place: the tensor keeps its history
    "mul_": lambda L, x: x.mul_(2), "add_": lambda L, x: x.add_(1), "zero_": lambda L, x: x.zero_(),
    "fill_(3)": lambda L, x: x.fill_(3),
}

FILLS = {
    "fill_": lambda L, x, v: x.fill_(v),
    "masked_fill_": lambda L, x, v: x.masked_fill_(L.tensor([[True, False, True], [False, True, True]]), v),
    "index_fill_": lambda L, x, v: x.index_fill_(1, L.tensor([0, 2]), v),
}

FILLS = {
    "fill_": lambda L, x, v: x.fill_(v),
    "masked_fill_": lambda L, x, v: x.masked_fill_(L.tensor([[True, False, True], [False, True, True]]), v),
    "index_fill_": lambda L, x, v: x.index_fill_(1, L.tensor([0, 2]), v),
}


def _integer_use(L, use, fill, dtype):
    """The dtype of what ``use`` gives and whether it requires grad (or the refusal), of an integer tensor filled
    with a value that requires grad."""
    x = L.tensor([[1, 0, 2], [3, 1, 0]], dtype=getattr(L, dtype))
    FILLS[fill](L, x, L.tensor(1.0, dtype=L.float64, requires_grad=True))
    r = USES[use](L, x)
    return str(r.dtype).split(".")[-1], r.requires_grad


# each use by each fill by each dtype: every 7th by default (every use, fill and dtype among them); -m parity: the rest
test_an_op_on_an_integer_tensor_that_requires_grad_refuses_or_runs_as_pytorch = sweep(_integer_use, itertools.product(
    USES, FILLS, ["int64", "int32", "uint8", "bool"]), every=7)

NUMBER_FILLS = {
    "full_like": lambda L, x, v: L.full_like(x, v), "new_full": lambda L, x, v: x.new_full((2,), v),
    "full": lambda L, x, v: L.full((2,), v), "full(dtype=int64)": lambda L, x, v: L.full((2,), v, dtype=L.int64),
}
VALUES = {
    "0-d float64 that requires grad": lambda L: L.tensor(1.5, dtype=L.float64, requires_grad=True),
    "0-d float64": lambda L: L.tensor(1.5, dtype=L.float64), "0-d int64": lambda L: L.tensor(2),
    "1-d of one": lambda L: L.tensor([2]), "a float": lambda L: 2.5, "an int": lambda L: 3,
}


def _number_fill(L, call, dtype, value):
    r = NUMBER_FILLS[call](L, L.zeros(2, dtype=getattr(L, dtype)), VALUES[value](L))
    return str(r.dtype).split(".")[-1], r.requires_grad, r.tolist()


test_a_fill_value_read_as_a_number_refuses_a_tensor_as_pytorch = sweep(_number_fill, itertools.product(
    NUMBER_FILLS, ["int64", "bool", "float32"], VALUES))
