"""The graph as a learner prints it (minigan/surface/node_view.py): ``grad_fn.next_functions`` as PyTorch's
``(node, output index)`` pairs, ``AccumulateGrad`` for a leaf, ``name()``, the repr, metadata and the node hooks.

The survey runs many ops, methods and functional calls (random_programs.py's tables and a table of the calls
tutorials make) under minigan and PyTorch and compares the graphs, name by name along ``next_functions``.  Where
minigan's graph has another structure than PyTorch's (a fused op, another decomposition, a number PyTorch takes as
a Scalar argument), the graph may legitimately differ: those cases are listed in DIFFERENT with the reason, and
docs/pytorch.md lists them too; the survey fails when a case outside that list differs, or one in it stops
differing (then take it off the list).


(Its torch-free tests: tests/engine/test_grad_fn_view.py.)"""

import re

import minigan.nn.functional as MF
import numpy as np
import pytest
from engine.helpers_grad_fn_view import _lib_graph

import minigan
from pytorch import random_programs as rp
from pytorch.oracle import HAVE_TORCH, pytorch_before, pytorch_since

if HAVE_TORCH:
    import torch
    import torch.nn.functional as TF

needs_torch = pytest.mark.skipif(not HAVE_TORCH, reason="needs torch (a test-only oracle)")


def _inputs(lib):
    """The same float64 leaves under both libraries: x (3, 4), y (4,), m (4, 5), images (2, 2, 6, 6), kernels."""
    rng = np.random.default_rng(0)

    def leaf(*shape):
        return lib.tensor(rng.standard_normal(shape), requires_grad=True)

    return {"x": leaf(3, 4), "y": leaf(4), "m": leaf(4, 5), "img": leaf(2, 2, 6, 6), "k": leaf(3, 2, 3, 3),
            "b3": leaf(3), "w": leaf(5, 4), "v": leaf(4), "c": lib.tensor(rng.standard_normal((3, 4)))}


# name: f(lib, F, t) where t holds _inputs(lib): the calls learners' programs make
CALLS = {
    "2*b": lambda lib, F, t: 2 * t["x"], "b*2": lambda lib, F, t: t["x"] * 2, "b+1": lambda lib, F, t: t["x"] + 1,
    "1+b": lambda lib, F, t: 1 + t["x"], "b-1": lambda lib, F, t: t["x"] - 1, "1-b": lambda lib, F, t: 1 - t["x"],
    "b/2": lambda lib, F, t: t["x"] / 2, "2/b": lambda lib, F, t: 2 / t["x"], "b**2": lambda lib, F, t: t["x"] ** 2,
    "2**b": lambda lib, F, t: 2 ** t["x"], "b**b": lambda lib, F, t: t["x"].abs() ** t["x"],
    "const*b": lambda lib, F, t: t["c"] * t["x"], "b*const": lambda lib, F, t: t["x"] * t["c"],
    "a@b": lambda lib, F, t: t["x"] @ t["m"], "mm": lambda lib, F, t: t["x"].mm(t["m"]),
    "matmul_mv": lambda lib, F, t: t["x"] @ t["y"], "dot": lambda lib, F, t: t["y"].dot(t["v"]),
    "linear": lambda lib, F, t: F.linear(t["x"], t["w"], t["w"][:, 0]),
    "linear_nobias": lambda lib, F, t: F.linear(t["x"], t["w"]),
    "nn_linear": lambda lib, F, t: _seeded(lib, lambda: lib.nn.Linear(4, 2).double())(t["x"]),
    "conv2d": lambda lib, F, t: F.conv2d(t["img"], t["k"], t["b3"]),
    "conv2d_nobias": lambda lib, F, t: F.conv2d(t["img"], t["k"]),
    "conv_transpose2d": lambda lib, F, t: F.conv_transpose2d(t["img"], t["k"].transpose(0, 1)),
    "max_pool2d": lambda lib, F, t: F.max_pool2d(t["img"], 2),
    "avg_pool2d": lambda lib, F, t: F.avg_pool2d(t["img"], 2),
    "interpolate": lambda lib, F, t: F.interpolate(t["img"], scale_factor=2),
    "pad": lambda lib, F, t: F.pad(t["img"], (1, 1, 1, 1)),
    "batch_norm": lambda lib, F, t: F.batch_norm(t["img"], None, None, training=True),
    "sum": lambda lib, F, t: t["x"].sum(), "sum0": lambda lib, F, t: t["x"].sum(0),
    "mean": lambda lib, F, t: t["x"].mean(), "mean1": lambda lib, F, t: t["x"].mean(1),
    "prod": lambda lib, F, t: t["x"].prod(), "std": lambda lib, F, t: t["x"].std(),
    "var": lambda lib, F, t: t["x"].var(), "norm": lambda lib, F, t: t["x"].norm(),
    "max_dim": lambda lib, F, t: t["x"].max(1)[0], "min": lambda lib, F, t: t["x"].min(),
    "logsumexp": lambda lib, F, t: t["x"].logsumexp(1), "cumsum": lambda lib, F, t: t["x"].cumsum(0),
    "exp": lambda lib, F, t: t["x"].exp(), "log": lambda lib, F, t: t["x"].abs().log(),
    "sqrt": lambda lib, F, t: t["x"].abs().sqrt(), "sin": lambda lib, F, t: t["x"].sin(),
    "cos": lambda lib, F, t: t["x"].cos(), "tanh": lambda lib, F, t: lib.tanh(t["x"]),
    "sigmoid": lambda lib, F, t: lib.sigmoid(t["x"]), "relu": lambda lib, F, t: F.relu(t["x"]),
    "softplus": lambda lib, F, t: F.softplus(t["x"]), "elu": lambda lib, F, t: F.elu(t["x"]),
    "gelu": lambda lib, F, t: F.gelu(t["x"]), "silu": lambda lib, F, t: F.silu(t["x"]),
    "leaky_relu": lambda lib, F, t: F.leaky_relu(t["x"], 0.2), "hardtanh": lambda lib, F, t: F.hardtanh(t["x"]),
    "softmax": lambda lib, F, t: F.softmax(t["x"], dim=1), "log_softmax": lambda lib, F, t: F.log_softmax(t["x"], 1),
    "dropout_eval": lambda lib, F, t: F.dropout(t["x"], 0.5, training=False),
    "mse_loss": lambda lib, F, t: F.mse_loss(t["x"], t["c"]),
    "l1_loss": lambda lib, F, t: F.l1_loss(t["x"], t["c"]),
    "bce": lambda lib, F, t: F.binary_cross_entropy(lib.sigmoid(t["x"]), (t["c"] > 0).double()),
    "bce_logits": lambda lib, F, t: F.binary_cross_entropy_with_logits(t["x"], (t["c"] > 0).double()),
    "cross_entropy": lambda lib, F, t: F.cross_entropy(t["x"], lib.tensor([0, 3, 1])),
    "nll_loss": lambda lib, F, t: F.nll_loss(t["x"], lib.tensor([0, 3, 1])),
    "cat": lambda lib, F, t: lib.cat([t["x"], t["c"]]), "stack": lambda lib, F, t: lib.stack([t["x"], t["x"]]),
    "index_list": lambda lib, F, t: t["x"][[0, 2], [1, 3]],
    "masked": lambda lib, F, t: t["x"][t["c"] > 0], "select": lambda lib, F, t: t["x"][1],
    "slice": lambda lib, F, t: t["x"][1:], "view": lambda lib, F, t: t["x"].view(2, 6),
    "reshape": lambda lib, F, t: t["x"].reshape(12), "unsqueeze": lambda lib, F, t: t["x"].unsqueeze(0),
    "squeeze": lambda lib, F, t: t["x"][None].squeeze(0), "T": lambda lib, F, t: t["x"].T,
    "transpose": lambda lib, F, t: t["x"].transpose(0, 1), "permute": lambda lib, F, t: t["x"].permute(1, 0),
    "expand": lambda lib, F, t: t["y"].expand(3, 4), "repeat": lambda lib, F, t: t["y"].repeat(2),
    "flatten": lambda lib, F, t: t["img"].flatten(1), "clone": lambda lib, F, t: t["x"].clone(),
    "clamp": lambda lib, F, t: t["x"].clamp(-1, 1), "abs": lambda lib, F, t: t["x"].abs(),
    "where": lambda lib, F, t: lib.where(t["c"] > 0, t["x"], t["c"]), "neg": lambda lib, F, t: -t["x"],
    "square": lambda lib, F, t: t["x"].square(), "pow_method": lambda lib, F, t: t["x"].pow(3),
    "add_alpha": lambda lib, F, t: lib.add(t["x"], t["y"], alpha=2), "sub_t": lambda lib, F, t: t["x"] - t["y"],
    "mul_t": lambda lib, F, t: t["x"] * t["y"], "div_t": lambda lib, F, t: t["x"] / t["y"],
    "maximum": lambda lib, F, t: lib.maximum(t["x"], t["c"]), "double": lambda lib, F, t: t["x"].float(),
    "mlp": lambda lib, F, t: _seeded(lib, lambda: lib.nn.Sequential(
        lib.nn.Linear(4, 8), lib.nn.ReLU(), lib.nn.Linear(8, 1), lib.nn.Sigmoid()).double())(t["x"]),
    "nn_conv_bn": lambda lib, F, t: _seeded(lib, lambda: lib.nn.Sequential(
        lib.nn.Conv2d(2, 3, 3, padding=1), lib.nn.BatchNorm2d(3), lib.nn.LeakyReLU(0.2)).double())(t["img"]),
    "nn_conv_t": lambda lib, F, t: _seeded(lib, lambda: lib.nn.ConvTranspose2d(2, 3, 4, 2, 1).double())(t["img"]),
    "embedding": lambda lib, F, t: F.embedding(lib.tensor([[0, 2], [1, 3]]), t["w"]),
    "layer_norm": lambda lib, F, t: F.layer_norm(t["x"], (4,)), "tanh_module": lambda lib, F, t: lib.nn.Tanh()(t["x"]),
    "sum_chain": lambda lib, F, t: (t["x"] * t["y"]).sum(), "mean_sq": lambda lib, F, t: ((t["x"] - 1) ** 2).mean(),
}


def _seeded(lib, make):
    lib.manual_seed(0)
    return make()


def _on_x(f):
    return lambda lib, F, t: f(lib, F, t["x"])


def _on_xy(f):
    return lambda lib, F, t: f(lib, F, t["x"], t["y"])


def _view_of_x(f):
    return lambda lib, F, t: f(lib, t["x"])


def _in_place_on_a_copy_of_x(f):
    def run(lib, F, t):
        h = t["x"] * 1.0  # (a leaf that requires grad cannot change in place)
        f(lib, h, t["y"])
        return h

    return run


def _cases():
    """CALLS, and random_programs.py's unary, binary, view and in-place steps (each on x, or x and y)."""
    cases = dict(CALLS)
    cases.update({f"rp_{k}": _in_place_on_a_copy_of_x(f) for k, (_, f) in rp.IN_PLACE.items()})
    cases.update({f"rp_{k}": _on_x(f) for table in (rp.UNARY, rp.UNARY_ND) for k, f in table.items()})
    cases.update({f"rp_{k}": _on_xy(f) for k, f in rp.BINARY.items()})
    cases.update({f"rp_{k}": _view_of_x(f) for k, (rank, f) in rp.VIEWS.items()})
    return cases


def describe(node, depth=6):
    """The graph below ``node`` as nested tuples of PyTorch's names and output indices (None for a constant)."""
    if node is None:
        return None
    if depth == 0:
        return node.name()
    return (node.name(), tuple((describe(n, depth - 1), i) for n, i in node.next_functions))


def _graph(lib, F, f, after_backward=False):
    out = f(lib, F, _inputs(lib))
    out = out[0] if isinstance(out, tuple) else out
    if out.grad_fn is None:
        return None
    if after_backward:  # backward frees the nodes: what they show must not change
        before = describe(out.grad_fn)
        with np.errstate(all="ignore"):  # (sqrt at 0 and the like: the values do not matter here)
            out.sum().backward()
        assert describe(out.grad_fn) == before
    return describe(out.grad_fn)


# Where minigan's graph is another graph than PyTorch's, each with the reason (docs/pytorch.md lists them).
NUMBER = "PyTorch calls another overload for the Python number (1 - x: rsub)"
DECOMPOSED = "minigan composes it of smaller ops (their nodes show), where PyTorch has one node of its own"
FUSED = "minigan's node is fused (Linear: x @ W.T + b in one node), PyTorch's shows the pieces (t(), Select)"
BY_CALL = ("one minigan class where PyTorch names the call and the node does not keep enough to tell (GetItem: "
           "split, chunk, unbind, embedding; Reshape: View/Unsqueeze/Squeeze/Expand; Transpose of 2 dimensions: "
           "Permute/T/Transpose; Fill: Fill/Zero; IndexPut: x[i] = v is CopySlices): the commonest call's name")
WHERE = "minigan's masking ops (masked_fill, clamp with tensor bounds) record a Where node"
DIFFERENT = {
    "1-b": NUMBER,
    "unsqueeze": BY_CALL, "squeeze": BY_CALL, "transpose": BY_CALL, "rp_mT": BY_CALL, "rp_t": BY_CALL,
    "rp_unsq": BY_CALL, "rp_expand": BY_CALL, "rp_expand_same": BY_CALL, "rp_split0": BY_CALL, "rp_split1": BY_CALL,
    "rp_chunk": BY_CALL, "rp_unbind": BY_CALL, "rp_squeeze": BY_CALL, "rp_zero_": BY_CALL,
    "rp_set_row": BY_CALL,
    "cross_entropy": FUSED,
    "std": DECOMPOSED, "max_dim": DECOMPOSED, "min": DECOMPOSED,
    "nll_loss": DECOMPOSED, "stack": DECOMPOSED,
    "repeat": DECOMPOSED, "add_alpha": DECOMPOSED, "rp_max_dim": DECOMPOSED,
    "rp_index_fill": DECOMPOSED, "rp_scatter_n": DECOMPOSED, "rp_flip": DECOMPOSED, "rp_repeat": DECOMPOSED,
    "rp_tile": DECOMPOSED, "rp_einsum_diag": DECOMPOSED,
    "rp_index_fill_": DECOMPOSED, "rp_scatter_": DECOMPOSED, "layer_norm": DECOMPOSED,
    "rp_masked_fill": WHERE, "rp_clamp_tt": WHERE, "rp_masked_fill_": WHERE,
}

# Where PyTorch versions name the node otherwise: each compared in its own test, on the PyTorch whose graph minigan
# builds (docs/pytorch.md, "Which PyTorch"): x[mask] = a number is IndexPutBackward0 up to 2.13, MaskedFillBackward0
# in 2.15; x[...] = a number is FillBackward3 (with a second input, None) up to 2.13, FillBackward2 in 2.15.
VERSIONED = {"rp_set_mask": pytorch_before("2.15", "x[mask] = a number is an IndexPutBackward0 node"),
             "rp_set_all": pytorch_since("2.15", "x[...] = a number is a FillBackward2 node of one input")}


def survey():
    """{case: (minigan's graph, PyTorch's graph)} for every case."""
    return {name: (_graph(minigan, MF, f, after_backward=True), _graph(torch, TF, f)) for name, f in _cases().items()}


@needs_torch
def test_survey_of_names_along_next_functions():
    found = {k: v for k, v in survey().items() if v[1] is not None and k not in VERSIONED}  # (no node: left out)
    differ = {k for k, (ours, theirs) in found.items() if ours != theirs}
    named = sum(1 for ours, theirs in found.values() if ours is not None and ours[0] == theirs[0])
    print(f"\n{len(found)} calls with a node: its name is PyTorch's in {named}, the whole graph (names and "
          f"(node, index) pairs along next_functions) in {len(found) - len(differ)}")
    unexpected = {k: found[k] for k in sorted(differ - set(DIFFERENT))}
    assert not unexpected, unexpected
    assert not set(DIFFERENT) - differ, f"these now match PyTorch: take them off DIFFERENT: {set(DIFFERENT) - differ}"


@needs_torch
@pytest.mark.parametrize("name", [pytest.param(k, marks=[mark]) for k, mark in sorted(VERSIONED.items())])
def test_the_graphs_where_pytorch_versions_differ(name):
    f = _cases()[name]
    assert _graph(minigan, MF, f, after_backward=True) == _graph(torch, TF, f)


def _names(fn, depth=0, out=None):
    """The tutorial idiom: walk grad_fn's chain recursively, printing each node's name."""
    out = [] if out is None else out
    out.append("  " * depth + (fn.name() if fn is not None else "None"))
    for n, _ in getattr(fn, "next_functions", ()):
        _names(n, depth + 1, out)
    return out


@needs_torch
def test_the_recursive_walk_a_tutorial_prints_is_pytorchs():
    assert _names(_lib_graph(minigan)[2].grad_fn) == _names(_lib_graph(torch)[2].grad_fn)
    ours = repr(_lib_graph(minigan)[2]).replace(", device='cuda:0'", "")  # (a GPU session: the device aside)
    assert ours == repr(_lib_graph(torch)[2])  # tensor(0.8374, grad_fn=<SumBackward0>)


def _hooked(lib):
    """A prehook and a post-hook on a node: what they see, and the leaf gradients after they change them."""
    w, b, y = _lib_graph(lib)
    seen = []
    add = y.grad_fn.next_functions[0][0].next_functions[0][0]
    add.register_prehook(lambda go: seen.append(("pre", [g.tolist() for g in go])) or (go[0] * 2,))
    handle = add.register_hook(lambda gi, go: seen.append(
        ("post", [None if g is None else g.tolist() for g in gi], [g.tolist() for g in go])))
    mul = add.next_functions[0][0]
    mul.register_hook(lambda gi, go: (gi[0] * 10, gi[1]))
    y.backward(retain_graph=True)
    grads = [w.grad.tolist(), b.grad.tolist()]
    handle.remove()
    y.backward()
    return seen, grads, [w.grad.tolist(), b.grad.tolist()]


def _close(a, b):
    if isinstance(a, (list, tuple)):
        return isinstance(b, (list, tuple)) and len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b))
    return a == b if isinstance(a, str) or a is None else np.isclose(a, b, rtol=1e-6)


@needs_torch
def test_node_hooks_as_pytorchs():
    """What a prehook and a post-hook see (and what they change), as PyTorch's; a removed hook is not called."""
    ours, theirs = _hooked(minigan), _hooked(torch)
    assert [s[0] for s in ours[0]] == ["pre", "post", "pre"] and _close(ours, theirs), (ours, theirs)


def _hook_order(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    y.retain_grad()
    y.grad_fn.register_prehook(lambda go: (go[0] * 2,))  # registered first, run after the tensor's hook and
    y.register_hook(lambda g: g * 5)  # after retain_grad() took y.grad, as PyTorch's
    y.sum().backward()
    return y.grad.tolist(), x.grad.tolist()


@needs_torch
def test_a_prehook_runs_after_the_outputs_hooks_and_retain_grad():
    assert _hook_order(minigan) == _hook_order(torch) == ([5.0, 5.0], [30.0, 30.0])


def _chain_printout(lib):
    """The idiom of PyTorch's autograd tutorials: print a result's grad_fn, then follow next_functions[0][0] down
    the chain printing each tuple, then the AccumulateGrad's variable."""
    lines = []
    a = lib.linspace(0.0, 2.0 * np.pi, steps=5, requires_grad=True)
    b = lib.sin(a)
    c = 2 * b
    d = c + 1
    out = d.sum()
    lines.append(repr(d.grad_fn))
    fn = out.grad_fn
    while fn.next_functions:
        lines.append(repr(fn.next_functions))
        fn = fn.next_functions[0][0]
    lines += [repr(fn.variable is a), repr(a.grad_fn), repr(out)]
    out.backward()
    lines += [repr(out.grad_fn.next_functions), repr(np.round(a.grad.tolist(), 5).tolist())]
    return re.sub(r"0x[0-9a-f]+", "0x", "\n".join(lines)).replace(", device='cuda:0'", "")


@needs_torch
def test_the_chain_a_tutorial_prints_is_pytorchs():
    assert _chain_printout(minigan) == _chain_printout(torch)


INDEXING = [None, Ellipsis, slice(None), (slice(1, None), 2), (0, slice(1, None)), (0, slice(None)),
            (slice(None), slice(1, None)), (Ellipsis, 0), (None, 0), slice(None, None, 2), [0, 2], 0]


@needs_torch
@pytest.mark.parametrize("index", INDEXING, ids=str)
def test_an_index_names_its_node_by_pytorchs_last_step(index):
    """PyTorch indexes dimension by dimension (x[1:, 2] is a Select of a Slice); minigan's one node takes the name
    of the last step."""
    ours = minigan.ones(3, 4, requires_grad=True)[index].grad_fn.name()
    assert ours == torch.ones(3, 4, requires_grad=True)[index].grad_fn.name()
