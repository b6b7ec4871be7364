"""What nn.Module and the layers take at their doors, against PyTorch (tests/pytorch/sweep.py):

* a flag takes a bool: ``model.train(0)``, ``train("eval")``, ``train(None)``, ``requires_grad_(1)`` are PyTorch's
  ValueError and TypeError (minigan's naming the value), and the modules' flags stay as they were;
* ``Module.to`` in each of PyTorch's forms (a device, a dtype, both, positional or by keyword, another tensor,
  non_blocking): the module itself back, its floating tensors in the dtype asked, its integer buffers as they were;
  an integer dtype refused with TypeError whichever form brings it;
* the names a submodule is given through each container's door: a dotted name, an empty one, one that is not a
  string, one that is already an attribute (ModuleDict's ``keys``, a module's ``forward``) refused with PyTorch's
  class (KeyError, TypeError), other strings taken, in order;
* attributes set before ``super().__init__()`` (a plain value or a Tensor kept, a Parameter or a Module refused with
  AttributeError), ``register_buffer`` given what is not a Tensor (TypeError), a loss's ``weight`` (a buffer);
* a layer's size arguments: 0 makes an empty layer that runs forward and backward as PyTorch's; a negative one is
  PyTorch's RuntimeError (ValueError for groups and heads: minigan's DomainError is both); one that is no int
  TypeError, also where PyTorch's constructor takes a bool or a float without a check of its own (Linear(True, 3),
  MultiheadAttention(4, 2.0), LazyLinear(2.5) till its first call: docs/pytorch.md);
* MultiheadAttention's refusals: an embed_dim the heads do not divide, an integer key_padding_mask or attn_mask
  (PyTorch's AssertionErrors), ``is_causal=True`` without a mask (its RuntimeError), batched or not, with or
  without the weights;
* ``Sequential * n``, ``n * Sequential`` and ``*=``: the layers n times over, the same module objects (so shared
  weights, counted once by parameters()); a factor that is not positive is a ValueError, one that is not an int a
  TypeError;
* ``proj_size=``: an LSTM takes it (0 disables the projection), an RNN or GRU takes 0 and refuses any other with
  PyTorch's ValueError ("only supported for LSTM").
"""

import itertools
import warnings
from collections import OrderedDict

import numpy as np
import pytest

import minigan
from pytorch.corpus import fill_
from pytorch.sweep import close, outcome, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _model(L):
    nn = L.nn
    return nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3), nn.Sequential(nn.Dropout(0.5), nn.Linear(3, 1)))


def _flag(L, method, value):
    """The call's result (the model itself, or the refusal), then every module's training flag and every
    parameter's requires_grad (of a mixed state, so a refused call that changed anything shows)."""
    model = _model(L)
    model[2].eval()
    result = outcome(getattr(model, method), value)
    return [value, result if isinstance(result, Exception) else result is model,
            [m.training for m in model.modules()], [p.requires_grad for p in model.parameters()]]


test_a_flag_takes_a_bool = sweep(_flag, itertools.product(
    ["train", "requires_grad_"], [True, False, 1, 0, None, "eval", 1.0, np.True_]),
    also=lambda ours, theirs: isinstance(ours[1], Exception) and str(ours[0]) not in str(ours[1]) and
    type(ours[0]).__name__ not in str(ours[1]) and "the refusal names neither the value nor its type")

TO_FORMS = {
    "dtype": lambda L: ((L.float64,), {}),
    "dtype_kw": lambda L: ((), {"dtype": L.float64}),
    "device": lambda L: (("cpu",), {}),
    "device_object": lambda L: ((L.device("cpu"),), {}),
    "device_and_dtype": lambda L: (("cpu", L.float64), {}),
    "device_and_dtype_kw": lambda L: ((), {"device": "cpu", "dtype": L.float64}),
    "device_then_dtype_kw": lambda L: (("cpu",), {"dtype": L.float64}),
    "tensor": lambda L: ((L.zeros(1, dtype=L.float64),), {}),
    "tensor_float16": lambda L: ((L.zeros(2, dtype=L.float16),), {}),
    "tensor_non_blocking": lambda L: ((L.zeros(1, dtype=L.float64),), {"non_blocking": True}),
    "dtype_non_blocking": lambda L: ((L.float64,), {"non_blocking": True}),
    "tensor_int": lambda L: ((L.zeros(1, dtype=L.int64),), {}),
    "dtype_int": lambda L: ((L.int64,), {}),
    "dtype_int_kw": lambda L: ((), {"dtype": L.int32}),
}


def _to(L, form):
    model = L.nn.Sequential(L.nn.Linear(2, 3), L.nn.BatchNorm1d(3))
    args, kwargs = TO_FORMS[form](L)
    return model.to(*args, **kwargs) is model, [str(v.dtype).split(".")[-1] for v in model.state_dict().values()]


test_module_to_as_pytorchs = sweep(_to, list(TO_FORMS))

CONTAINER_DOORS = {
    "ModuleDict(dict)": lambda nn, name: nn.ModuleDict({name: nn.ReLU()}),
    "ModuleDict[name] =": lambda nn, name: nn.ModuleDict().__setitem__(name, nn.ReLU()),
    "ModuleDict.update": lambda nn, name: nn.ModuleDict({"a": nn.Tanh()}).update({name: nn.ReLU()}),
    "ModuleDict.update(pairs)": lambda nn, name: nn.ModuleDict().update([(name, nn.ReLU())]),
    "Sequential(OrderedDict)": lambda nn, name: nn.Sequential(OrderedDict([(name, nn.ReLU())])),
    "add_module": lambda nn, name: nn.Module().add_module(name, nn.ReLU()),
    "register_module": lambda nn, name: nn.Module().register_module(name, nn.ReLU()),
}


def _named(L, door, name):
    made = CONTAINER_DOORS[door](L.nn, name)
    return None if made is None else [n for n, _ in made.named_children()]


test_a_submodule_name_as_pytorch_checks_it = sweep(_named, itertools.product(
    CONTAINER_DOORS, ["x.y", "", 1, "keys", "forward", "training", "with space", "0", "conv-1"]))

EARLY = {
    "int": lambda L: 3, "str": lambda L: "tanh", "list": lambda L: [1, 2], "None": lambda L: None,
    "tensor": lambda L: L.ones(2), "parameter": lambda L: L.nn.Parameter(L.ones(2)),
    "module": lambda L: L.nn.ReLU(), "function": lambda L: L.tanh,
}
BUFFERS = {
    "list": lambda L: [1.0, 2.0], "int": lambda L: 3, "float": lambda L: 0.5, "str": lambda L: "a",
    "ndarray": lambda L: np.ones(2), "tensor": lambda L: L.tensor([1.0, 2.0]), "None": lambda L: None,
    "parameter": lambda L: L.nn.Parameter(L.ones(2)), "tuple": lambda L: (1, 2),
}


def _registered(L, door, kind):
    """``self.x = ...`` before super().__init__() (what is read back: a function as such, its class names C's or
    Python's), register_buffer (the buffers' names), a loss's weight (its values)."""
    if door == "before super().__init__()":
        class Early(L.nn.Module):
            def __init__(self):
                self.x = EARLY[kind](L)
                super().__init__()
                self.lin = L.nn.Linear(2, 2)

        x = Early().x
        return x if isinstance(x, (int, float, str)) else "a function" if kind == "function" else type(x).__name__
    if door == "register_buffer":
        m = L.nn.Linear(2, 2)
        m.register_buffer("extra", BUFFERS[kind](L))
        return [n for n, _ in m.named_buffers()]
    return getattr(L.nn, door)(weight=BUFFERS[kind](L)).weight.tolist()


test_what_a_module_takes_at_its_registration_doors = sweep(_registered, [
    *(("before super().__init__()", kind) for kind in EARLY), *(("register_buffer", kind) for kind in BUFFERS),
    *((loss, kind) for loss in ["BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss", "NLLLoss"]
      for kind in ["list", "tensor"])])

SIZED = {
    "Linear.in_features": lambda L, v: L.nn.Linear(v, 3),
    "Linear.out_features": lambda L, v: L.nn.Linear(3, v),
    "Conv2d.in_channels": lambda L, v: L.nn.Conv2d(v, 2, 1),
    "Conv2d.out_channels": lambda L, v: L.nn.Conv2d(2, v, 1),
    "Conv2d.groups": lambda L, v: L.nn.Conv2d(2, 2, 1, groups=v),
    "Conv1d.out_channels": lambda L, v: L.nn.Conv1d(2, v, 1),
    "ConvTranspose2d.in_channels": lambda L, v: L.nn.ConvTranspose2d(v, 2, 1),
    "BatchNorm1d.num_features": lambda L, v: L.nn.BatchNorm1d(v),
    "BatchNorm2d.num_features": lambda L, v: L.nn.BatchNorm2d(v),
    "InstanceNorm2d.num_features": lambda L, v: L.nn.InstanceNorm2d(v, affine=True),
    "Embedding.num_embeddings": lambda L, v: L.nn.Embedding(v, 3),
    "Embedding.embedding_dim": lambda L, v: L.nn.Embedding(3, v),
    "PReLU.num_parameters": lambda L, v: L.nn.PReLU(v),
    "GroupNorm.num_groups": lambda L, v: L.nn.GroupNorm(v, 2),
    "GroupNorm.num_channels": lambda L, v: L.nn.GroupNorm(1, v),
    "MultiheadAttention.embed_dim": lambda L, v: L.nn.MultiheadAttention(v, 1),
    "MultiheadAttention.num_heads": lambda L, v: L.nn.MultiheadAttention(4, v),
    "MultiheadAttention.kdim": lambda L, v: L.nn.MultiheadAttention(4, 1, kdim=v),
    "LazyLinear.out_features": lambda L, v: L.nn.LazyLinear(v),
}
SIZES = {"0": 0, "1": 1, "-1": -1, "-3": -3, "2.0": 2.0, "2.5": 2.5, "'2'": "2", "None": None, "True": True,
         "np.int64(0)": np.int64(0), "np.int64(2)": np.int64(2)}
# the arguments that must be positive (PyTorch refuses 0 groups or heads; GroupNorm(0, C) divides by it first, and
# GroupNorm(-1, 2) or GroupNorm(np.int64(0), 2) passes PyTorch's divisibility check and makes a layer that cannot run)
AT_LEAST_ONE = {"Conv2d.groups", "GroupNorm.num_groups", "MultiheadAttention.embed_dim", "MultiheadAttention.num_heads"}


def _made(L, layer, value):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return outcome(SIZED[layer], L, value)


@pytest.mark.parametrize("layer, value", list(itertools.product(SIZED, SIZES)))
def test_size_argument_as_pytorchs_constructor(layer, value):
    """PyTorch's outcome, but where minigan refuses on purpose what PyTorch takes unchecked (docs/pytorch.md)."""
    v = SIZES[value]
    theirs, mine = _made(torch, layer, v), _made(minigan, layer, v)
    if v is None and layer.endswith("kdim"):  # (kdim=None: the default, embed_dim)
        assert not isinstance(mine, Exception) and not isinstance(theirs, Exception)
    elif not isinstance(v, (int, np.integer)) or isinstance(v, bool):  # no int: TypeError (PyTorch's, or where its
        assert isinstance(mine, TypeError), repr(mine)  # divisibility check or laziness came first: minigan's)
    elif isinstance(theirs, Exception):
        assert isinstance(mine, ValueError if isinstance(theirs, ZeroDivisionError) else type(theirs)), \
            f"minigan {mine!r}, PyTorch {theirs!r}"
    elif v < (1 if layer in AT_LEAST_ONE else 0) or "Lazy" in layer and v < 0:
        assert isinstance(mine, ValueError) and isinstance(mine, RuntimeError), repr(mine)
    else:
        assert not isinstance(mine, Exception), repr(mine)
        shapes = [[tuple(p.shape) if "Lazy" not in layer else 0 for p in m.parameters()] for m in (mine, theirs)]
        assert shapes[0] == shapes[1]  # (a lazy layer's parameters have no shape yet)


ZERO_SIZED = {
    "Linear(0, 3)": (lambda L: L.nn.Linear(0, 3), lambda L: L.ones(2, 0)),
    "Linear(3, 0)": (lambda L: L.nn.Linear(3, 0), lambda L: L.ones(2, 3)),
    "Conv2d(0, 2, 1)": (lambda L: L.nn.Conv2d(0, 2, 1), lambda L: L.ones(1, 0, 3, 3)),
    "Embedding(3, 0)": (lambda L: L.nn.Embedding(3, 0), lambda L: L.tensor([1, 2])),
    "Embedding(0, 3)": (lambda L: L.nn.Embedding(0, 3), lambda L: L.zeros(0, dtype=L.int64)),
    "PReLU(0)": (lambda L: L.nn.PReLU(0), lambda L: L.ones(2, 0)),
    "GroupNorm(1, 0)": (lambda L: L.nn.GroupNorm(1, 0), lambda L: L.ones(2, 0, 3)),
}


def _zero_sized(L, name):
    """The output's shape (its values but where the bias, drawn, is all of it) and the parameters' gradients."""
    make, data = ZERO_SIZED[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = make(L)
    y = m(data(L))
    if y.requires_grad:
        (y * 2).sum().backward()
    return tuple(y.shape), None if name == "Linear(0, 3)" else y.detach(), [p.grad for p in m.parameters()]


test_a_zero_sized_layer_runs_forward_and_backward_as_pytorchs = sweep(_zero_sized, list(ZERO_SIZED))


def _attention(L, what, kind, batched, need):
    """MultiheadAttention(embed, heads) (``kind``: the pair), or a call with an integer mask (``kind``: its dtype) or
    is_causal alone."""
    if what == "embed and heads":
        return L.nn.MultiheadAttention(*kind) and "made"
    m = L.nn.MultiheadAttention(4, 2, batch_first=what == "is_causal")
    q, kv = (L.ones(3, 2, 4), L.ones(5, 2, 4)) if batched else (L.ones(3, 4), L.ones(5, 4))
    if what == "is_causal":
        return m(q, q, q, is_causal=True, need_weights=need) and "ran"
    mask = L.zeros((2, 5) if batched else (5,), dtype=getattr(L, kind)) if what == "key_padding_mask" else \
        L.zeros(3, 5, dtype=getattr(L, kind))  # (both of zeros' forms)
    return m(q, kv, kv, **{what: mask}, need_weights=need) and "ran"


test_multihead_attention_refuses_with_pytorchs_class = sweep(_attention, [
    *(("embed and heads", pair, True, True) for pair in [(5, 2), (6, 4), (4, 3), (7, 2), (9, 6)]),
    *itertools.product(["key_padding_mask", "attn_mask"], ["int64", "int32", "int16", "int8", "uint8"],
                       [True, False], [True, False]),
    *(("is_causal", None, batched, need) for batched in (True, False) for need in (True, False))])


def _proj_size(L, layer, proj, more):
    m = getattr(L.nn, layer)(3, 3, proj_size=proj, **more)
    return m.proj_size, sorted(n for n, _ in m.named_parameters()), tuple(m(L.zeros(2, 1, 3))[0].shape)


test_proj_size_as_pytorch = sweep(_proj_size, itertools.product(
    ["RNN", "GRU", "LSTM"], [0, 1, 2, 3, -1, 1.5, True], [{}, {"num_layers": 2}]),
    ids=lambda layer, proj, more: f"{layer}-{proj!r}-{len(more)}")


def _repeated(L, how, factor):
    """The repeated Sequential's layers, names, parameters' count, state keys and output, whether its layers are the
    same objects and whether it is the block itself; or the refusal."""
    block = fill_(L, L.nn.Sequential(L.nn.Linear(2, 2), L.nn.Tanh())).double()
    out = block * factor if how == "seq * n" else factor * block if how == "n * seq" else block
    if how == "seq *= n":
        out *= factor
    if len(out) == 2:  # (a factor of 1)
        return [n for n, _ in out.named_children()], out is block
    return ([type(m).__name__ for m in out], [n for n, _ in out.named_children()], len(list(out.parameters())),
            list(out.state_dict()), close(out(L.ones(1, 2, dtype=L.float64)).detach(), 1e-12), out[0] is out[2],
            out is block, len(block))


test_sequential_repeat_as_pytorchs = sweep(_repeated, [
    *(("seq * n", f) for f in (2, 1, 0, -1, 2.5, "2")), *(("n * seq", f) for f in (2, 0, 1.5)),
    *(("seq *= n", f) for f in (3, 0, -2, 2.0))])
