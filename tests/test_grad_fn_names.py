"""The name a result's node prints (``y.grad_fn`` and ``tensor(..., grad_fn=<NllLossBackward0>)``) is PyTorch's, for
every call of the graph survey (tests/test_grad_fn_view.py: the calls tutorials make and random_programs.py's unary,
binary, view and in-place steps) and for the functions below.  A function minigan composes of several ops shows the
node PyTorch's one op shows (nll_loss: NllLossBackward0, not the DivBackward0 of its last step); its
``next_functions`` stay minigan's graph, which test_grad_fn_view.py compares.

``type(y.grad_fn).__name__`` is minigan's class (``Mul``, where PyTorch's is ``MulBackward0``): the lessons write
``class Mul(Node)``; what a program prints is ``name()`` and the repr, compared here."""

import minigan.nn.functional as MF
import numpy as np
import pytest
import test_grad_fn_view as view
from conftest import HAVE_TORCH

import minigan

if HAVE_TORCH:
    import torch
    import torch.nn.functional as TF

pytestmark = pytest.mark.skipif(not HAVE_TORCH, reason="needs PyTorch")

# more public differentiable functions learners call, beyond the survey's
EXTRA = {
    "nll_loss_none": lambda lib, F, t: F.nll_loss(F.log_softmax(t["x"], 1), lib.tensor([0, 3, 1]), reduction="none"),
    "nll_loss_sum": lambda lib, F, t: F.nll_loss(F.log_softmax(t["x"], 1), lib.tensor([0, 3, 1]), reduction="sum"),
    "nn_nllloss": lambda lib, F, t: lib.nn.NLLLoss()(F.log_softmax(t["x"], 1), lib.tensor([0, 3, 1])),
    "stack1": lambda lib, F, t: lib.stack([t["x"], t["c"]], 1), "stack_y": lambda lib, F, t: lib.stack([t["y"]] * 3),
    "elu_module": lambda lib, F, t: lib.nn.ELU()(t["x"]), "gelu_module": lambda lib, F, t: lib.nn.GELU()(t["x"]),
    "silu_module": lambda lib, F, t: lib.nn.SiLU()(t["x"]), "square_free": lambda lib, F, t: lib.square(t["x"]),
    "layer_norm_affine": lambda lib, F, t: F.layer_norm(t["x"], (4,), t["y"], t["v"]),
    "nn_layernorm": lambda lib, F, t: _seeded(lib, lambda: lib.nn.LayerNorm(4).double())(t["x"]),
    "nn_embedding": lambda lib, F, t: _seeded(lib, lambda: lib.nn.Embedding(5, 3).double())(lib.tensor([[0, 2]])),
    "masked_fill_free": lambda lib, F, t: lib.masked_fill(t["x"], t["c"] > 0, 0.0),
    "clamp_min_t": lambda lib, F, t: lib.clamp(t["x"], min=t["c"]),
}


def _seeded(lib, make):
    lib.manual_seed(0)
    return make()


# Where the name cannot be PyTorch's, with the reason (docs/pytorch.md, "The graph a learner prints", says so too)
BY_CALL = ("one minigan class where PyTorch names the call and the node does not keep enough to tell (a view: "
           "View/Unsqueeze/Squeeze/Expand, Permute/T/Transpose; a part: Slice/Split/Select/Unbind; Fill/Zero; "
           "CopySlices): the commonest call's name")
OWN_GRAPH = ("another decomposition than PyTorch's: PyTorch's einsum shows the permute/bmm it runs, minigan's one "
             "node; repeat, tile and flip are minigan views and copies; max(dim) a gather; index_fill and scatter an "
             "index_put; x[i] = v of minigan's IndexPut")
NUMBER = "PyTorch calls another overload for the Python number (1 - x: rsub; 2 / x: reciprocal, then mul)"
ENGINE_METHOD = ("composed inside the engine's methods (std, var: a mean of squares; min: -max(-x); max(dim): a "
                 "gather of the argmax), whose last step shows")
DIFFERENT = {
    "1-b": NUMBER, "2/b": NUMBER,
    "std": ENGINE_METHOD, "var": ENGINE_METHOD, "min": ENGINE_METHOD, "max_dim": ENGINE_METHOD,
    "unsqueeze": BY_CALL, "squeeze": BY_CALL, "transpose": BY_CALL, "rp_mT": BY_CALL, "rp_t": BY_CALL,
    "rp_unsq": BY_CALL, "rp_expand_same": BY_CALL, "rp_split0": BY_CALL, "rp_split1": BY_CALL, "rp_chunk": BY_CALL,
    "rp_unbind": BY_CALL, "rp_squeeze": BY_CALL, "rp_zero_": BY_CALL, "rp_set_all": BY_CALL, "rp_set_row": BY_CALL,
    "repeat": OWN_GRAPH, "rp_repeat": OWN_GRAPH, "rp_tile": OWN_GRAPH, "rp_flip": OWN_GRAPH, "rp_max_dim": OWN_GRAPH,
    "rp_index_fill": OWN_GRAPH, "rp_index_fill_": OWN_GRAPH, "rp_scatter_n": OWN_GRAPH, "rp_scatter_": OWN_GRAPH,
    "rp_einsum_t": OWN_GRAPH, "rp_einsum_id": OWN_GRAPH, "rp_einsum_diag": OWN_GRAPH,
}


def _name(lib, F, f):
    out = f(lib, F, view._inputs(lib))
    out = out[0] if isinstance(out, tuple) else out
    return None if out.grad_fn is None else out.grad_fn.name()


def names():
    """{case: (minigan's name, PyTorch's name)} for every call with a node in PyTorch."""
    cases = {**view._cases(), **EXTRA}
    found = {k: (_name(minigan, MF, f), _name(torch, TF, f)) for k, f in cases.items()}
    return {k: v for k, v in found.items() if v[1] is not None}


def test_every_call_shows_pytorchs_name_for_its_node():
    found = names()
    differ = {k for k, (ours, theirs) in found.items() if ours != theirs}
    print(f"\n{len(found)} calls with a node: PyTorch's name in {len(found) - len(differ)}")
    unexpected = {k: found[k] for k in sorted(differ - set(DIFFERENT))}
    assert not unexpected, unexpected
    assert not set(DIFFERENT) - differ, f"these now match PyTorch: take them off DIFFERENT: {set(DIFFERENT) - differ}"


@pytest.mark.parametrize("make", [lambda lib: lib.nn.functional.nll_loss(
    lib.tensor(np.log([[0.2, 0.8], [0.6, 0.4]]), requires_grad=True), lib.tensor([1, 0])),
    lambda lib: lib.stack([lib.ones(2, requires_grad=True), lib.zeros(2)])], ids=["nll_loss", "stack"])
def test_the_printed_tensor_shows_the_name_and_its_gradient_is_unchanged(make):
    """``print(loss)`` shows ``grad_fn=<NllLossBackward0>`` as PyTorch's; the name changes nothing in backward."""
    ours, theirs = make(minigan), make(torch)
    assert repr(ours).replace("minigan", "torch") == repr(theirs)
    ours.sum().backward()
    theirs.sum().backward()
    assert str(ours.grad_fn.name()) == theirs.grad_fn.name()
