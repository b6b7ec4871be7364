"""nn.ParameterDict against PyTorch: each program below runs under both libraries and its record (keys in order,
parameter names, types, values, requires_grad, gradients, the exception's class) must be the same."""

from __future__ import annotations

from collections import OrderedDict

import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _record(value):
    """A comparable picture of a value: tensors by kind, dtype name, values and requires_grad."""
    if isinstance(value, (torch.Tensor, minigan.Tensor)):
        kind = "Parameter" if isinstance(value, (torch.nn.Parameter, minigan.nn.Parameter)) else "Tensor"
        return (kind, str(value.dtype).split(".")[-1], value.detach().numpy().tolist(), value.requires_grad)
    if isinstance(value, (list, tuple)):
        return [_record(v) for v in value]
    if isinstance(value, dict) or type(value).__name__ == "odict_keys":
        return {k: _record(v) for k, v in dict(value).items()} if isinstance(value, dict) else list(value)
    return value


def build(lib):
    d = lib.nn.ParameterDict({"b": lib.ones(2), "a": lib.zeros(3, dtype=lib.float64), "c": 3})
    return [list(d.keys()), [n for n, _ in d.named_parameters()], _record(d["a"]), _record(d["c"]), len(d)]


def orders(lib):
    d = lib.nn.ParameterDict(OrderedDict([("z", lib.ones(1)), ("y", lib.ones(1))]))
    d.update([("x", lib.ones(1)), ("a", lib.nn.Parameter(lib.ones(1), requires_grad=False))])
    d.update({"q": lib.ones(1), "p": lib.ones(1)})
    e = lib.nn.ParameterDict([("m", lib.ones(1))])
    return [list(d), list(reversed(d)), list(d | e), list(e | d), _record(d["a"])]


def dict_methods(lib):
    d = lib.nn.ParameterDict({"a": lib.ones(2), "b": lib.ones(1) * 2})
    out = [_record(d.get("a")), d.get("nope", 7), _record(d.setdefault("c", lib.zeros(1))), d.setdefault("c") is d["c"]]
    out += [_record(d.pop("a")), list(d), d.popitem()[0], list(d)]
    copy = d.copy()
    copy["n"] = lib.ones(1)
    out += [list(d), list(copy), copy["b"] is d["b"], list(d.fromkeys(["u", "v"], None))]
    d |= {"w": lib.ones(1)}
    del d["b"]
    out += [list(d), "w" in d, "b" in d]
    d.clear()
    return out + [len(d), list(d.parameters())]


def in_a_module_and_training(lib):
    class Model(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.params = lib.nn.ParameterDict({"left": lib.tensor([[1.0, 2.0]]), "right": lib.tensor([[3.0, -1.0]])})

        def forward(self, x, which):
            return (self.params[which] * x).sum()

    m = Model()
    opt = lib.optim.SGD(m.parameters(), lr=0.5)
    m(lib.tensor([2.0, 1.0]), "left").backward()
    opt.step()
    state = m.state_dict()
    other = Model()
    other.load_state_dict(state)
    return [[n for n, _ in m.named_parameters()], list(state), _record(m.params["left"]),
            _record(m.params["right"].grad), _record(other.params["left"])]


def refusals(lib):
    d = lib.nn.ParameterDict()
    out = []
    for bad in (lambda: d.__setitem__(3, lib.ones(1)), lambda: d[2], lambda: d.update(5), lambda: d.update([1]),
                lambda: d.update([("a", 1, 2)]), lambda: d(lib.ones(1)), lambda: d["missing"], lambda: d.pop("x")):
        try:
            bad()
            out.append(None)
        except Exception as e:  # noqa: BLE001 (the class is what is compared)
            out.append(type(e).__name__ if type(e).__name__ in ("TypeError", "ValueError", "RuntimeError")
                       else "AttributeError" if isinstance(e, AttributeError) else type(e).__mro__[1].__name__)
    return out


@pytest.mark.parametrize("program", [build, orders, dict_methods, in_a_module_and_training, refusals])
def test_parameter_dict_as_pytorch(program):
    assert program(minigan) == program(torch)


def test_repr_as_pytorch():
    texts = [repr(lib.nn.ParameterDict({"b": lib.ones(2, 3), "a": lib.zeros(3, dtype=lib.float64), "c": "s"}))
             for lib in (torch, minigan)]
    assert texts[1] == texts[0].replace("torch.", "minigan.")
