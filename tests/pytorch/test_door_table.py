"""The door table (minigan/surface/door_table.py): minigan's free functions generated from it are what it gives, its
rows say what the Tensor and the op table have, and every door takes NumPy's names for PyTorch's arguments where
PyTorch's argument parser does (``minigan.cumprod(x, axis=0)``, ``x.sum(axis=0, keepdims=True)``), drawn from
PyTorch's recorded signatures (tests/pytorch/pytorch_records/parser_signatures.json), not from a list of names."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import minigan
from minigan.surface.door_table import DOORS
from minigan.surface.numpy_names import ALIASES
from pytorch import record_pytorch

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import make_doors  # noqa: E402

RECORDS = record_pytorch.load("parser_signatures")["records"]


@pytest.mark.parametrize("module", sorted(make_doors.MODULES))
def test_the_generated_doors_are_what_the_table_gives(module):
    path = ROOT / "minigan" / f"{module}.py"
    assert path.read_text() == make_doors.source(module), f"run python tools/make_doors.py ({path.name} is stale)"


def test_every_row_is_a_free_function_and_an_alias_is_its_rows():
    for name, row in DOORS.items():
        assert name in minigan.toplevel.__all__, name
        if row.same_as:
            assert getattr(minigan, name) is getattr(minigan, row.same_as), name
            assert not row.body and not row.out, f"{name}: a row that is another's alias says nothing else"


def test_the_tensor_spellings_are_the_tensors():
    """Each spelling a row lists is the Tensor's (its operators too); and of its method and in-place method, none the
    Tensor has is left out."""
    T = minigan.Tensor
    for name, row in DOORS.items():
        listed = row.tensor.split()
        assert all(hasattr(T, s) for s in listed), (name, [s for s in listed if not hasattr(T, s)])
        if not name.endswith("_"):  # (an in-place free function's method is on its op's row)
            assert not [s for s in (name, f"{name}_") if hasattr(T, s) and s not in listed], (name, listed)


def test_each_row_names_a_node_of_the_op_table_whose_calls_make_it():
    """A door's ``row`` is a row of minigan/surface/ops.py whose calls include the door's function (so
    tests/library/test_ops_table.py checks that the function records the node)."""
    from minigan.surface import ops
    calls = {r.node.__name__: r.calls for r in ops.ROWS}
    assert {name: row.row for name, row in DOORS.items() if row.row and not any(
        c.startswith(f"minigan.{name}(") for c in calls.get(row.row, ()))} == {}


# ----------------------------------------------------------------------------- NumPy's names, as PyTorch's parser
def _tensor(*shape, low=0.5):
    return minigan.rand(*shape, dtype=minigan.float64) + low


# A value for each argument name PyTorch's signatures use, on small tensors: enough for most overloads to run (an
# overload with an argument not here, or whose call with PyTorch's names raises, is not drawn).
def _values():
    x = _tensor(2, 3)
    return {"input": x, "other": _tensor(2, 3), "dim": 1, "keepdim": True, "mat2": _tensor(3, 2),
            "exponent": 2.0, "end": _tensor(2, 3), "weight": 0.25, "mat1": _tensor(2, 3), "vec": _tensor(3),
            "vec2": _tensor(3), "tensor1": _tensor(2, 3), "tensor2": _tensor(2, 3), "min": 0.6, "max": 1.2,
            "mask": x > 1, "index": minigan.tensor([[0, 1, 0], [1, 0, 1]]), "dims": [0], "k": 1, "q": 0.5,
            "dim0": 0, "dim1": 1, "chunks": 2, "sections": 2, "shifts": 1, "source": 0, "destination": 1,
            "repeats": 2, "decimals": 1, "value": 1.5, "src": _tensor(2, 3), "diagonal": 0, "p": 2.0,
            "start": 0, "length": 1, "num_samples": 1, "n": 1, "alpha": 1, "beta": 1, "correction": 1,
            "descending": False, "stable": True, "unbiased": True, "ord": 2, "size": (2, 3)}


def _cases(prefix):
    """(name, its overload's positional names, the argument NumPy names) for each overload of PyTorch's C function
    or method that minigan has, that names an argument NumPy's names stand for."""
    cases = []
    for key, overloads in sorted(RECORDS.items()):
        space, _, name = key.partition(".")
        if space != prefix or (prefix == "torch" and name not in DOORS) or (
                prefix == "Tensor" and (name.startswith("_") or not hasattr(minigan.Tensor, name))):
            continue
        for pos, _, varargs in overloads:
            if varargs:
                continue
            for arg in sorted(set(pos) & set(ALIASES)):
                cases.append((name, tuple(pos), arg))
    return cases


def _called(fn, kwargs):
    minigan.manual_seed(0)
    try:
        return fn(**kwargs), None
    except Exception as e:  # noqa: BLE001 - which refusal is what is compared
        return None, e


def _same(a, b) -> bool:
    if isinstance(a, (tuple, list)):
        return type(a) is type(b) and len(a) == len(b) and all(_same(u, v) for u, v in zip(a, b))
    if isinstance(a, minigan.Tensor):
        return isinstance(b, minigan.Tensor) and a.dtype == b.dtype and np.array_equal(a.numpy(), b.numpy(),
                                                                                      equal_nan=True)
    return a == b


def _door(prefix, name, given):
    """The function to call with keywords only (a method: bound to a fresh tensor) and the keywords: the same values
    at each call (in-place doors change them)."""
    minigan.manual_seed(0)
    values = _values()
    kwargs = {n: values[n] for n in given}
    if prefix == "Tensor":
        return getattr(_tensor(2, 3), name), kwargs
    return getattr(minigan, name), kwargs


def _alias_calls(prefix, name, pos, arg):
    """(PyTorch's names' call result, [(NumPy's name, its call's result, its exception)]); None where the call with
    PyTorch's names does not run on these values."""
    if not all(n in _values() for n in pos):
        return None
    fn, kwargs = _door(prefix, name, pos)
    expected, error = _called(fn, kwargs)
    if error is not None:
        return None
    out = []
    for alias in ALIASES[arg]:
        fn, kwargs = _door(prefix, name, pos)
        kwargs[alias] = kwargs.pop(arg)
        got, error = _called(fn, kwargs)
        out.append((alias, got, error))
    return expected, out


# Where minigan keeps another meaning for NumPy's name, on purpose: the design's contract gives x.max(axis=1) NumPy's
# meaning (the values alone), where PyTorch's is the (values, indices) of x.max(dim=1)
NUMPY_MEANING = {("Tensor", "max", "dim"), ("Tensor", "min", "dim")}


@pytest.mark.parametrize("prefix", ["torch", "Tensor"])
def test_numpy_names_give_what_pytorchs_names_give(prefix):
    drawn, wrong = 0, {}
    for name, pos, arg in _cases(prefix):
        calls = _alias_calls(prefix, name, pos, arg)
        if calls is None or (prefix, name, arg) in NUMPY_MEANING:
            continue
        drawn += 1
        expected, out = calls
        bad = [alias for alias, got, error in out if error is not None or not _same(expected, got)]
        if bad:
            wrong[f"{prefix}.{name}({', '.join(pos)})"] = bad
    assert drawn >= (100 if prefix == "torch" else 40), drawn  # (the values above run most overloads)
    assert not wrong, f"NumPy's names refused or giving another result: {wrong}"


def test_a_name_given_twice_is_a_typeerror():
    x = _tensor(2, 3)
    for call in (lambda: minigan.cumprod(x, 0, axis=0), lambda: minigan.exp(x, x=x),
                 lambda: minigan.add(x, x, x2=x), lambda: minigan.exp(x=x, a=x), lambda: minigan.cumprod(x)):
        with pytest.raises(TypeError, match="multiple values|missing required"):
            call()


def test_the_hand_written_methods_take_each_argument_once():
    """The Tensor's methods written by hand (the engine's operators' methods, the in-place ones) as the generated
    doors: a name given twice, or a required one not at all, is a TypeError that says which."""
    x, y = _tensor(2, 3), _tensor(2, 3)
    i = minigan.tensor([[0, 1, 0], [1, 0, 1]])
    twice = (lambda: x.add(y, x2=y), lambda: x.sub(other=y, x2=y), lambda: x.clone().add_(y, alpha=2, x2=y),
             lambda: x.clone().mul_(other=y, x2=y), lambda: x.mul(y, x2=y), lambda: x.matmul(y.t(), x2=y.t()),
             lambda: x.eq(y, x2=y), lambda: x.ne(y, x2=y), lambda: x.max(other=y, x2=y), lambda: x.min(other=y, x2=y),
             lambda: x.clone().div_(y, x2=y), lambda: x.clone().fmod_(y, x2=y), lambda: x.view_as(y, x2=y),
             lambda: x.size(0, axis=0), lambda: x.stride(0, axis=0), lambda: x.clone().squeeze_(0, axis=0),
             lambda: x.clone().unsqueeze_(0, axis=0), lambda: x.clone().scatter_(0, i, y, axis=0),
             lambda: x.clone().scatter_add_(0, i, y, axis=0), lambda: x.clone().index_fill_(1, i[0], 1.0, axis=1))
    for call in twice:
        with pytest.raises(TypeError, match="got multiple values for argument '(other|dim)'"):
            call()
    assert _same(x.clone().index_fill_(axis=1, index=i[0], value=2.0), x.clone().index_fill_(1, i[0], 2.0))
    for method in (x.add, x.sub, x.mul, x.matmul, x.eq, x.ne, x.clone().add_, x.clone().mul_, x.clone().div_,
                   x.clone().subtract_, x.clone().atan2_, x.type_as, x.expand_as, x.clone().unsqueeze_,
                   x.clone().scatter_add_):
        with pytest.raises(TypeError, match="missing required argument '(other|dim)'"):
            method()


def test_the_bitwise_in_place_methods_take_x2():
    """Beyond the property test's floating values: x.bitwise_and_(x2=y) is x.bitwise_and_(y), on integers."""
    y = minigan.tensor([[1, 0, 3], [6, 2, 1]])
    for name in ("bitwise_and_", "bitwise_or_", "bitwise_xor_", "bitwise_left_shift_", "bitwise_right_shift_"):
        x = minigan.tensor([[5, 9, 12], [7, 64, 3]])
        assert _same(getattr(x.clone(), name)(x2=y), getattr(x.clone(), name)(y)), name
        with pytest.raises(TypeError, match="got multiple values for argument 'other'"):
            getattr(x, name)(y, x2=y)


def test_an_alias_methods_door_is_its_methods():
    """x.not_equal(y) is x.ne(y), x.multiply(y) x.mul(y): by PyTorch's name and by NumPy's."""
    x, y = _tensor(2, 3), _tensor(2, 3)
    y[0, 0] = x[0, 0]
    for alias, method in (("not_equal", "ne"), ("multiply", "mul")):
        expected = getattr(x, method)(y)
        for call in ({"other": y}, {"x2": y}):
            assert _same(getattr(x, alias)(**call), expected), (alias, call)


def test_the_published_call_runs():
    x = minigan.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert minigan.cumprod(x, axis=0).tolist() == [[1.0, 2.0], [3.0, 8.0]]
    assert minigan.add(x1=x, x2=x).tolist() == (2 * x).tolist() and minigan.exp(x=x).tolist() == x.exp().tolist()


# ----------------------------------------------------------------------------- the common call's cost, counted
def _python_calls(fn, *args) -> int:
    """How many Python functions ``fn(*args)`` enters (sys.setprofile's call events): a door's cost per call,
    counted, not timed."""
    entered = []
    sys.setprofile(lambda frame, event, arg: entered.append(frame.f_code) if event == "call" else None)
    try:
        fn(*args)
    finally:
        sys.setprofile(None)
    return len(entered)


def _method_call(attr):
    return lambda x, *args: getattr(x, attr)(*args)


def _door_call(name):
    return lambda *args: getattr(minigan, name)(*args)


def test_a_doors_common_call_enters_its_body_and_nothing_else():
    """A generated free function, called as PyTorch's positional call (no out=, no NumPy name), enters one Python
    function more than its body does: the door itself (and _t, the check that its input is a tensor, where the
    body is the Tensor's method); no out= wrapper, no reading of NumPy's names."""
    import importlib
    drawn, wrong = 0, {}
    for name, row in DOORS.items():
        overloads = RECORDS.get(f"torch.{name}")
        if row.same_as or not overloads:
            continue
        pos = next((p for p, _, varargs in overloads if not varargs and all(n in _values() for n in p)), None)
        if pos is None:
            continue
        short, _, attr = row.body.partition(".")
        if short == "Tensor":  # (a function on each side: the method's call, and the door's)
            body, door, extra = _method_call(attr), _door_call(name), 2
        else:
            module = importlib.import_module("minigan.functional" if short == "functional" else
                                             f"minigan.surface.{short}")
            body, door = getattr(module, attr), getattr(minigan, name)
            extra = 0 if door is body else 1  # (a row that is its body itself)
        try:
            minigan.manual_seed(0)
            expected = _python_calls(body, *[_values()[n] for n in pos]) + extra  # (fresh values: in-place doors)
        except Exception:  # noqa: BLE001 - an overload these values do not run
            continue
        drawn += 1
        minigan.manual_seed(0)
        got = _python_calls(door, *[_values()[n] for n in pos])
        if got != expected:
            wrong[name] = (got, expected)
    assert drawn >= 140, drawn  # (the values above run most rows' calls)
    assert not wrong, f"doors entering more than themselves and their body (Python calls, expected): {wrong}"
