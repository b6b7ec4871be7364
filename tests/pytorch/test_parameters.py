"""nn.Parameter, its containers and nn.utils' parameter vectors against PyTorch (tests/pytorch/sweep.py):

* a Parameter's data: none (an empty Parameter of the default dtype), and each dtype with and without
  requires_grad (integers and bools make a frozen Parameter only; one that is to require grad raises PyTorch's
  RuntimeError); what a program reads of it and of its deep copy;
* parameters_to_vector and vector_to_parameters at their doors: the parameters are any iterable of tensors (a tensor
  iterates over its first dimension, a 0-d one refuses with TypeError), each flattened by a view (a weight whose
  entries cannot be viewed as one row is refused with RuntimeError); vec must be a tensor, sliced only for a
  parameter there is (a 0-d vec with no parameters runs);
* ParameterDict's programs (keys in order, parameter names, types, values, requires_grad, gradients, the
  exception's class) and its repr;
* ParameterList's list operations, as PyTorch documents them ("append, extend, and index assignment"): a tensor put
  in becomes a Parameter, anything else stays a plain entry; ``pl[i]`` reads negative indices and refuses one past
  the end with IndexError; a slice is a new ParameterList; ``+=`` extends (compared by round 3's harness).
"""

import copy
from collections import OrderedDict

import numpy as np
import pytest

import minigan
from pytorch.corpus import agree, caught, registry
from pytorch.sweep import sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

DTYPES = ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool"]


def _parameter(L, how, dtype, requires_grad):
    """What a program reads of the Parameter made, then of its deep copy."""
    keyword = {} if requires_grad is None else {"requires_grad": requires_grad}
    if how == "none":
        p = L.nn.Parameter(**keyword)
    elif how == "None":
        p = L.nn.Parameter(None, *keyword.values())
    else:
        data = L.tensor(np.arange(6).reshape(2, 3) % 2 if dtype == "bool" else np.arange(6).reshape(2, 3),
                        dtype=getattr(L, dtype))
        p = L.nn.Parameter(data, **keyword)
    return [(type(q).__name__, q.detach(), q.requires_grad, q.is_leaf, q.grad) for q in (p, copy.deepcopy(p))]


test_parameter_data_as_pytorch = sweep(_parameter, [
    *((how, None, rg) for how in ("none", "None") for rg in (None, True, False)),
    *(("data", dtype, rg) for dtype in DTYPES for rg in (None, True, False))],
    also=lambda ours, theirs: isinstance(ours, Exception) and "\n" in str(ours) and "a refusal of more than a line")


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_no_data_follows_the_default_dtype(dtype):
    before = minigan.get_default_dtype()
    minigan.set_default_dtype(getattr(minigan, dtype))
    try:
        assert minigan.nn.Parameter().dtype == getattr(minigan, dtype)
    finally:
        minigan.set_default_dtype(before)


def test_a_frozen_integer_parameter_in_a_module():
    m = minigan.nn.Module()
    m.count = minigan.nn.Parameter(minigan.tensor([3]), requires_grad=False)
    m.lin = minigan.nn.Linear(2, 2)
    m.double()
    assert [p.dtype for p in m.parameters()] == [minigan.int64, minigan.float64, minigan.float64]
    with pytest.raises(RuntimeError):
        m.count.requires_grad_()


def _w(L, *shape, rg=True):
    n = int(np.prod(shape)) if shape else 1
    return (L.arange(n, dtype=L.float64).reshape(shape) * 0.5 - 1).requires_grad_(rg)


def _module(L):
    m = L.nn.Linear(3, 2).double()
    with L.no_grad():
        m.weight.copy_(_w(L, 2, 3))
        m.bias.copy_(_w(L, 2))
    return m


PARAMETERS = {
    "a list": lambda L: [_w(L, 2, 3), _w(L, 4)],
    "a generator": lambda L: (p for p in [_w(L, 3), _w(L, 1, 2)]),
    "no parameters": lambda L: [],
    "a module's": lambda L: _module(L).parameters(),
    "a 2-d tensor (its rows)": lambda L: _w(L, 3, 2, rg=False),
    "a 0-d tensor": lambda L: _w(L, rg=False),
    "an empty tensor": lambda L: _w(L, 0, 6, rg=False)[:, ::2],
    "a strided weight": lambda L: [_w(L, 4, 6)[:, ::2]],
    "a transposed weight": lambda L: [_w(L, 3, 4).t()],
    "rows of a strided 3-d tensor": lambda L: _w(L, 2, 3, 4, rg=False)[:, :, ::2],
    "a number": lambda L: 3,
    "None": lambda L: None,
}
VECTORS = {
    "exactly long enough": lambda L: L.arange(10, dtype=L.float64),
    "longer": lambda L: L.arange(30, dtype=L.float64),
    "too short": lambda L: L.arange(3, dtype=L.float64),
    "0-d": lambda L: L.tensor(1.5, dtype=L.float64),
    "2-d": lambda L: L.arange(40, dtype=L.float64).reshape(20, 2),
    "a list": lambda L: [1.0, 2.0],
}


def _to_vector(L, parameters):
    v = L.nn.utils.parameters_to_vector(PARAMETERS[parameters](L))
    return v.detach(), v.requires_grad


def _to_parameters(L, vec, parameters):
    """What vector_to_parameters returns, then the parameters' values it wrote."""
    params = PARAMETERS[parameters](L)
    done = L.nn.utils.vector_to_parameters(VECTORS[vec](L), params)
    written = L.cat([p.reshape(-1) for p in params]) if isinstance(params, list) and params else None
    return done, None if written is None else (written.detach(), written.requires_grad)


test_parameters_to_vector_is_pytorchs = sweep(_to_vector, list(PARAMETERS))
test_vector_to_parameters_is_pytorchs = sweep(_to_parameters, [
    (vec, parameters) for parameters in PARAMETERS if parameters not in ("a module's", "a generator")
    for vec in VECTORS])


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


test_parameter_dict_as_pytorch = sweep(lambda L, program: program(L), [
    build, orders, dict_methods, in_a_module_and_training, refusals], ids=lambda program: program.__name__)


def test_parameter_dict_repr_as_pytorch():
    texts = [repr(lib.nn.ParameterDict({"b": lib.ones(2, 3), "a": lib.zeros(3, dtype=lib.float64), "c": "s"}))
             for lib in (torch, minigan)]
    assert texts[1] == texts[0].replace("torch.", "minigan.")


PROGRAMS, program = registry()


def _list(torch, n=2):
    return torch.nn.ParameterList([torch.nn.Parameter(torch.full((i + 1,), float(i))) for i in range(n)])


@program
def extend_with_parameters_and_tensors(torch):
    pl = _list(torch)
    returned = pl.extend([torch.nn.Parameter(torch.zeros(3)), torch.ones(2, dtype=torch.float64)])
    return (returned is pl, len(pl), [type(p).__name__ for p in pl], [p.requires_grad for p in pl], pl[3].dtype,
            [n for n, _ in pl.named_parameters()], len(list(pl.parameters())))


@program
def extend_refusals(torch):
    pl = _list(torch)
    return caught(pl.extend, torch.ones(2)), caught(pl.extend, 3), len(pl)


@program
def extend_with_a_generator_and_another_list(torch):
    pl = _list(torch, 1)
    pl.extend(torch.nn.Parameter(torch.ones(k)) for k in (2, 3))
    pl.extend(_list(torch, 2))
    return [tuple(p.shape) for p in pl], len(list(pl.parameters()))


@program
def in_place_add(torch):
    pl = _list(torch, 1)
    before = pl
    pl += [torch.nn.Parameter(torch.zeros(4))]
    return pl is before, len(pl), [tuple(p.shape) for p in pl]


@program
def index_assignment(torch):
    pl = _list(torch, 3)
    pl[0] = torch.nn.Parameter(torch.tensor([7.0]))
    pl[-1] = torch.tensor([8.0, 9.0])  # a plain tensor: made a Parameter
    return (pl[0], pl[2], type(pl[2]).__name__, pl[2].requires_grad, [n for n, _ in pl.named_parameters()],
            caught(pl.__setitem__, 3, torch.nn.Parameter(torch.ones(1))), caught(pl.__setitem__, -4, torch.ones(1)))


@program
def index_reads(torch):
    pl = _list(torch, 3)
    return (pl[-1], pl[-3], caught(pl.__getitem__, 3), caught(pl.__getitem__, -4), pl[1:][0],
            type(pl[1:]).__name__, len(pl[::2]), [tuple(p.shape) for p in pl[::-1]], pl[1:][0] is pl[1])


@program
def non_tensor_entries(torch):
    pl = torch.nn.ParameterList()
    pl.append(torch.ones(2))
    pl.append("note")
    pl.extend([3, torch.nn.Parameter(torch.zeros(1))])
    return [type(p).__name__ for p in pl], len(list(pl.parameters())), pl[1], pl[2]


@program
def training_through_an_extended_list(torch):
    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.ws = torch.nn.ParameterList()
            self.ws.extend([torch.nn.Parameter(torch.tensor([1.0, 2.0])), torch.tensor([0.5, -1.0])])
            self.ws[0] = torch.nn.Parameter(torch.tensor([3.0, -2.0]))

        def forward(self, x):
            for w in self.ws:
                x = x * w
            return x.sum()

    net = Net()
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    net(torch.tensor([1.0, 1.0])).backward()
    opt.step()
    return list(net.state_dict()), [p.detach().clone() for p in net.ws], net.double().ws[1].dtype


@program
def repr_with_tensors_and_objects(torch):
    pl = torch.nn.ParameterList([torch.nn.Parameter(torch.zeros(2, 3))])
    pl.append(7)
    return str(pl).replace(torch.__name__ + ".", "torch.")


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_parameter_list_operation_matches_pytorch(name):
    agree(PROGRAMS[name], torch, minigan)
