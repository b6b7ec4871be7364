"""PyTorch's binding of arguments, overload by overload, against minigan's: what each library does with the same
positional and keyword arguments (the value, or the class of the refusal).

- The scaled sums: ``add``/``sub`` (and ``add_``, ``sub_``, torch's forms) take ``alpha`` by keyword only, or first
  by position in PyTorch's deprecated overload ``add(alpha, other)``; ``subtract``/``rsub`` take ``(other, *, alpha)``
  or ``(Number other, Number alpha)``; ``addcmul``/``addcdiv`` take ``value`` by keyword, or first in the deprecated
  ``addcmul(value, tensor1, tensor2)``.  An alpha must be a number (a 0-d tensor that does not require grad counts as
  one): a float alpha for an integer result and a bool alpha for a non-bool one are refused.
- Positional-only and keyword-only arguments elsewhere: ``is_tensor(obj)``, ``copy_(other)`` required, the
  ``*_like`` factories' and ``new_*`` methods' ``dtype=``, ``device=``, ``requires_grad=`` by keyword only.
"""

import inspect
import itertools
import random
import warnings

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def outcome(program, lib):
    """What ``program(lib)`` gives: ("ran", values as float64, dtype name) or ("raised", exception class)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = program(lib)
    except Exception as e:  # noqa: BLE001 - the class is what is compared
        return "raised", type(e), str(e)
    if isinstance(out, (bool, int, float)):
        return "ran", out, type(out).__name__
    return "ran", np.asarray(out.detach().numpy(), dtype=np.float64), str(out.dtype).split(".")[-1]


def agree(program):
    """The difference between the two libraries' outcomes of ``program``, or None where they agree."""
    ours, theirs = outcome(program, minigan), outcome(program, torch)
    if ours[0] != theirs[0]:
        return f"minigan {ours[0]} {ours[1:]} | PyTorch {theirs[0]} {theirs[1:]}"
    if ours[0] == "raised":
        builtin = next(c for c in theirs[1].__mro__ if c.__module__ == "builtins")
        return None if issubclass(ours[1], builtin) else f"minigan {ours[1].__name__}: {ours[2]} | PyTorch " \
                                                         f"{theirs[1].__name__}: {theirs[2]}"
    same = ours[2] == theirs[2] and np.shape(ours[1]) == np.shape(theirs[1]) and \
        np.allclose(ours[1], theirs[1], equal_nan=True)
    return None if same else f"minigan {ours[1:]} | PyTorch {theirs[1:]}"


# What a program passes: tensors are made in each library (``lib``) from the same values.
def _tensor(lib, kind):
    values = {"float": [[1.5, -2.0, 0.25], [3.0, 0.5, -1.0]], "int": [[1, -2, 3], [4, 0, -5]],
              "bool": [[True, False, True], [False, False, True]], "0-d": 2.5, "0-d grad": 1.5, "1-elem": [2.0]}[kind]
    dtype = {"float": lib.float64, "int": lib.int64, "bool": lib.bool, "0-d grad": lib.float64}.get(kind, lib.float64)
    return lib.tensor(values, dtype=dtype, requires_grad=kind == "0-d grad")


ITEMS = ["float", "int", "bool", "0-d", "0-d grad", "1-elem", 2, 0.5, True, np.float64(1.5), np.int64(3)]


def _arg(lib, item):
    return _tensor(lib, item) if isinstance(item, str) else item


def _positionals(most):
    return [c for n in range(0, most + 1) for c in itertools.product(ITEMS, repeat=n)]


SCALED = {  # name: (how many positionals after input to try, the keyword of the scale)
    "add": (2, "alpha"), "sub": (2, "alpha"), "subtract": (2, "alpha"), "add_": (2, "alpha"), "sub_": (2, "alpha"),
    "subtract_": (2, "alpha"), "rsub": (2, "alpha"), "addcmul": (3, "value"), "addcdiv": (3, "value"),
    "addcmul_": (3, "value"), "addcdiv_": (3, "value"),
}
SCALES = [None, 2, 0.5, True, np.float32(2.0), "0-d", "0-d grad", "1-elem"]


def _cases(name, method, share):
    """A share of every (receiver, positionals, scale) combination, the same share each run."""
    most, keyword = SCALED[name]
    every = [(receiver, args, {} if scale is None else {keyword: scale})
             for receiver in ("float", "int", "bool") for args in _positionals(most) for scale in SCALES]
    return every if share == 1 else random.Random(f"{name}{method}").sample(every, int(len(every) * share))


def _scaled_program(name, method, receiver, args, kwargs):
    def program(lib):
        x = _tensor(lib, receiver)
        call_args = [_arg(lib, a) for a in args]
        call_kwargs = {k: _arg(lib, v) for k, v in kwargs.items()}
        if method:
            return getattr(x, name)(*call_args, **call_kwargs)
        return getattr(lib, name)(x, *call_args, **call_kwargs)
    return program


def _integer_result_float_value(receiver, args, kwargs):
    """An integer or bool addcmul/addcdiv (all its tensors) with a float value, by keyword or first."""
    value = kwargs.get("value", args[0] if len(args) == 3 else 1)
    tensors = [receiver] + [a for a in args[len(args) - 2:] if isinstance(a, str)]
    return all(t in ("int", "bool") for t in tensors) and (isinstance(value, (float, np.floating)) or value == "0-d")


@pytest.mark.parametrize("share", [pytest.param(1, marks=pytest.mark.slow, id="all"), pytest.param(0.02, id="2%")])
@pytest.mark.parametrize("method", [True, False], ids=["method", "torch"])
@pytest.mark.parametrize("name", sorted(SCALED))
def test_scaled_sums_bind_their_arguments_as_pytorch(name, method, share):
    """Combinations of up to two (three for addcmul/addcdiv) positionals and a scale keyword over tensors of three
    dtypes, numbers, NumPy scalars and 0-d tensors (all of them under ``slow``, a fixed 2% by default): the same
    value, or a refusal of PyTorch's class."""
    if not hasattr(torch.Tensor if method else torch, name):
        pytest.skip(f"PyTorch has no {'Tensor.' if method else 'torch.'}{name}")
    differ = []
    for receiver, args, kwargs in _cases(name, method, share):
        if name.startswith("addc") and _integer_result_float_value(receiver, args, kwargs):
            continue  # docs/pytorch.md, Dtypes: addcmul of integer tensors with a float value (PyTorch truncates it)
        found = agree(_scaled_program(name, method, receiver, args, kwargs))
        if found:
            differ.append(f"{receiver}.{name}{args} {kwargs}: {found}")
    assert not differ, f"{len(differ)} differ, e.g.\n" + "\n".join(differ[:12])


# ----------------------------------------------------------------------------- positional-only arguments
def _pytorch_positional_only(name):
    """The names of ``torch.<name>``'s arguments that PyTorch takes by position only: the ``/`` of a function written
    in Python (``is_tensor(obj, /)``), or all of them for a C function that takes no keyword arguments."""
    fn = getattr(torch, name)
    try:
        return [p.name for p in inspect.signature(fn).parameters.values() if p.kind == p.POSITIONAL_ONLY]
    except (TypeError, ValueError):  # written in C: its parser says whether it takes keywords at all
        try:
            fn(zzz_probe=None)
        except TypeError as e:
            return ["*"] if "takes no keyword arguments" in str(e) else []
        except Exception:  # noqa: BLE001 - refused for another reason: it takes keywords
            return []
        return []


def _shared_functions():
    return sorted(n for n in dir(torch) if not n.startswith("_") and hasattr(minigan, n) and
                  callable(getattr(torch, n)) and not inspect.isclass(getattr(torch, n)) and
                  callable(getattr(minigan, n)) and not inspect.isclass(getattr(minigan, n)))


def test_what_pytorch_takes_by_position_only_minigan_takes_by_position_only():
    """Every torch function minigan shares whose arguments PyTorch takes by position only (``is_tensor(obj=x)``,
    ``from_numpy(array=a)``, ``set_num_threads(n=1)`` are TypeErrors there): minigan refuses them by name too."""
    differ, checked = [], 0
    for name in _shared_functions():
        names = _pytorch_positional_only(name)
        if not names:
            continue
        checked += 1
        params = inspect.signature(getattr(minigan, name)).parameters.values()
        by_name = [p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and
                   (names == ["*"] or p.name in names)]
        if names == ["*"]:
            by_name = by_name[:1]  # (its first argument: the one a caller would name)
        differ += [f"{name}({n}=...)" for n in by_name]
    assert checked >= 3  # (is_tensor, from_numpy, set_num_threads at least: the probe reads PyTorch's parser)
    assert not differ, f"minigan takes by name what PyTorch takes by position only: {differ}"


@pytest.mark.parametrize("program", [
    lambda t: t.is_tensor(obj=t.ones(2)), lambda t: t.is_tensor(t.ones(2)), lambda t: t.is_tensor(obj=[1]),
    lambda t: t.from_numpy(array=np.ones(2)), lambda t: t.from_numpy(np.ones(2)),
], ids=["is_tensor-by-name", "is_tensor", "is_tensor-list-by-name", "from_numpy-by-name", "from_numpy"])
def test_positional_only_calls_agree(program):
    assert agree(program) is None, agree(program)


# ----------------------------------------------------------------------------- keyword-only arguments of the factories
FACTORIES = {  # a call with its required arguments only, for each library
    "zeros_like": lambda t: (t.zeros_like, (t.ones(2, 3),)), "ones_like": lambda t: (t.ones_like, (t.ones(2, 3),)),
    "empty_like": lambda t: (t.empty_like, (t.ones(2, 3),)), "rand_like": lambda t: (t.rand_like, (t.ones(2, 3),)),
    "randn_like": lambda t: (t.randn_like, (t.ones(2, 3),)), "full_like": lambda t: (t.full_like, (t.ones(2, 3), 7)),
    "tensor": lambda t: (t.tensor, ([1.0, 2.0],)), "as_tensor": lambda t: (t.as_tensor, ([1.0, 2.0],)),
    "Tensor.new_full": lambda t: (t.ones(2).new_full, ((2, 3), 7)),
    "Tensor.new_tensor": lambda t: (t.ones(2).new_tensor, ([1.0, 2.0],)),
}


@pytest.mark.parametrize("keyword", ["dtype", "requires_grad", "device"])
@pytest.mark.parametrize("by_name", [True, False], ids=["by-name", "by-position"])
@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_factories_take_dtype_device_and_requires_grad_by_keyword_only(name, by_name, keyword):
    """PyTorch's factories take ``dtype=``, ``device=`` and ``requires_grad=`` by keyword only: ``zeros_like(x,
    torch.float64)`` and ``tensor(data, True)`` are TypeErrors there, so a value given by position is never read
    as another argument.  By name they agree (the shape, dtype and requires_grad; random and uninitialised values
    aside)."""
    def program(lib):
        fn, args = FACTORIES[name](lib)
        value = {"dtype": lib.float64, "requires_grad": True, "device": "cpu"}[keyword]
        out = fn(*args, **{keyword: value}) if by_name else fn(*args, value)
        return out.detach().zero_() if "rand" in name or "empty" in name else out  # (values not compared)

    found = agree(program)
    assert found is None, found
    if by_name and outcome(program, torch)[0] == "ran":
        assert program(minigan).requires_grad == program(torch).requires_grad


@pytest.mark.parametrize("program", [
    lambda t: t.zeros(2, 3).copy_(t.ones(3)), lambda t: t.zeros(2, 3).copy_(other=t.ones(3)),
    lambda t: t.zeros(2, 3).copy_(t.ones(3), True), lambda t: t.zeros(2, 3).copy_(t.ones(3), non_blocking=True),
    lambda t: t.zeros(2, 3).copy_(src=t.ones(3)), lambda t: t.zeros(2, 3).copy_(),
    lambda t: t.zeros(2, 3).copy_(src=t.ones(4)),  # (the missing argument first, before any shape)
], ids=["other", "other-by-name", "non_blocking", "non_blocking-by-name", "src-by-name", "nothing", "src-mismatch"])
def test_copy_takes_other_as_pytorch(program):
    """``copy_(other, non_blocking=False)``: PyTorch's parser knows no ``src=`` (its documentation's old name), so
    ``copy_(src=y)`` is a TypeError, as ``copy_()`` is, whatever y's shape."""
    assert agree(program) is None, agree(program)


# ----------------------------------------------------------------------------- view(dtype), view's other overload
VIEW_DTYPES = ["float64", "float32", "int64", "int32", "int16", "uint8", "bool"]
VIEW_LAYOUTS = {  # how the tensor viewed is made from a 2x4 (or other) tensor of its dtype
    "contiguous": lambda x: x, "transposed": lambda x: x.t(), "column slice": lambda x: x[:, 1:3],
    "every other row": lambda x: x[::2], "expanded": lambda x: x[:1].expand(3, 4), "0-d": lambda x: x[0, 0],
    "empty rows": lambda x: x[:0], "one column": lambda x: x[:, :1],
}


@pytest.mark.parametrize("layout", sorted(VIEW_LAYOUTS))
def test_view_of_another_dtype_as_pytorch(layout):
    """``x.view(dtype)`` (and ``view(dtype=...)``) reads x's memory as another dtype, for every pair of seven dtypes
    and eight layouts: the same bits and shape, sharing memory and without a gradient, or PyTorch's RuntimeError
    where the element sizes differ and the layout cannot be read so (a 0-d tensor, a last dimension that is not
    contiguous or not divisible, an offset or stride that is not)."""
    differ = []
    for old, new, by_name in itertools.product(VIEW_DTYPES, VIEW_DTYPES, (False, True)):
        def program(lib, old=old, new=new, by_name=by_name):
            base = lib.tensor(np.arange(8.0).reshape(2, 4) - 3.5, dtype=lib.float64).to(getattr(lib, old))
            x = VIEW_LAYOUTS[layout](base.requires_grad_() if old == "float64" else base)
            out = x.view(dtype=getattr(lib, new)) if by_name else x.view(getattr(lib, new))
            assert not out.requires_grad and np.shares_memory(out.detach().numpy(), base.detach().numpy())
            return out.detach().double() if new == "bool" else out
        found = agree(program)
        if found:
            differ.append(f"{old} {layout} .view({new}){' by name' if by_name else ''}: {found}")
    assert not differ, f"{len(differ)} differ, e.g.\n" + "\n".join(differ[:10])


@pytest.mark.parametrize("program", [
    lambda t: t.ones(2, 2).view(), lambda t: t.ones(1).view(), lambda t: t.ones(2, 2).view(4, dtype=t.float32),
    lambda t: t.ones(2, 2).view((4,)), lambda t: t.ones(2, 2).view([4]), lambda t: t.ones(1).view(()),
    lambda t: t.ones(2, 2).view(size=(4,)), lambda t: t.ones(2, 2).view(t.int32, t.int32),
], ids=["nothing", "nothing-1", "sizes-and-dtype", "tuple", "list", "empty-tuple", "size=", "two-dtypes"])
def test_view_binds_one_of_its_overloads(program):
    """view(*sizes) or view(dtype), never both and never neither (TypeError, as PyTorch's parser)."""
    assert agree(program) is None, agree(program)


@pytest.mark.parametrize("t2", ["int64", "bool", "float64"])
@pytest.mark.parametrize("in_place", [False, True], ids=["addcdiv", "addcdiv_"])
def test_addcdiv_backward_refuses_an_integer_divisor_as_pytorch(t2, in_place):
    """``x.addcdiv(t1, t2)`` with t1 requiring grad and an integer or bool t2 runs, and its backward raises
    PyTorch's RuntimeError (its formula writes t1's gradient in t2's dtype); with a floating t2 the gradients agree."""
    def program(lib):
        x = lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64)
        t1 = lib.tensor([0.5, -1.0, 2.0], dtype=lib.float64, requires_grad=True)
        divisor = lib.tensor([2, 1, 3] if t2 != "bool" else [True, True, False]).to(getattr(lib, t2))
        out = x.addcdiv_(t1, divisor, value=-1.5) if in_place else x.addcdiv(t1, divisor, value=-1.5)
        assert out.requires_grad
        out.sum().backward()
        return t1.grad
    assert agree(program) is None, agree(program)
