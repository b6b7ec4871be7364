"""The name a result's node prints (``y.grad_fn`` and ``tensor(..., grad_fn=<NllLossBackward0>)``) is PyTorch's, for
every call of the graph survey (tests/pytorch/test_grad_fn_view.py: the calls tutorials make and random_programs.py's
unary,
binary, view and in-place steps) and for the functions below.  A function minigan composes of several ops shows the
node PyTorch's one op shows (nll_loss: NllLossBackward0, not the DivBackward0 of its last step); its
``next_functions`` stay minigan's graph, which test_grad_fn_view.py compares.

``type(y.grad_fn).__name__`` is minigan's class (``Mul``, where PyTorch's is ``MulBackward0``): the lessons write
``class Mul(Node)``; what a program prints is ``name()`` and the repr, compared here."""

import minigan.nn.functional as MF
import numpy as np
import pytest

import minigan
from pytorch import test_grad_fn_view as view
from pytorch.oracle import HAVE_TORCH

if HAVE_TORCH:
    import torch
    import torch.nn.functional as TF

pytestmark = pytest.mark.skipif(not HAVE_TORCH, reason="needs torch (a test-only oracle)")

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
    "mish": lambda lib, F, t: F.mish(t["x"]),
    "selu": lambda lib, F, t: F.selu(t["x"]),
    "celu": lambda lib, F, t: F.celu(t["x"]),
    "logsigmoid": lambda lib, F, t: F.logsigmoid(t["x"]),
    "hardsigmoid": lambda lib, F, t: F.hardsigmoid(t["x"]),
    "hardswish": lambda lib, F, t: F.hardswish(t["x"]),
    "relu6": lambda lib, F, t: F.relu6(t["x"]),
    "softsign": lambda lib, F, t: F.softsign(t["x"]),
    "tanhshrink": lambda lib, F, t: F.tanhshrink(t["x"]),
    "softshrink": lambda lib, F, t: F.softshrink(t["x"]),
    "hardshrink": lambda lib, F, t: F.hardshrink(t["x"]),
    "threshold": lambda lib, F, t: F.threshold(t["x"], 0.1, 0.0),
    "leaky_relu_": lambda lib, F, t: F.leaky_relu_(t["x"].clone(), 0.1),  # (in place: LeakyReluBackward1)
    "leaky_relu_inplace": lambda lib, F, t: F.leaky_relu(t["x"] * 2, 0.2, inplace=True),
    "glu": lambda lib, F, t: F.glu(t["x"]),
    "softmin": lambda lib, F, t: F.softmin(t["x"], 1),
    "normalize": lambda lib, F, t: F.normalize(t["x"]),
    "prelu": lambda lib, F, t: F.prelu(t["x"], t["y"][:1]),
    "cosine_similarity": lambda lib, F, t: F.cosine_similarity(t["x"], t["c"]),
    "pairwise_distance": lambda lib, F, t: F.pairwise_distance(t["x"], t["c"]),
    "smooth_l1": lambda lib, F, t: F.smooth_l1_loss(t["x"], t["c"]),
    "huber": lambda lib, F, t: F.huber_loss(t["x"], t["c"]),
    "kl_div": lambda lib, F, t: F.kl_div(F.log_softmax(t["x"], 1), F.softmax(t["c"], 1), reduction="batchmean"),
    "soft_margin": lambda lib, F, t: F.soft_margin_loss(t["x"], t["c"].sign()),
    "bmm": lambda lib, F, t: lib.bmm(t["x"][None], t["m"][None]),
    "addmm": lambda lib, F, t: lib.addmm(t["b3"][:, None], t["x"], t["m"]),
    "outer": lambda lib, F, t: lib.outer(t["y"], t["v"]),
    "trace": lambda lib, F, t: t["x"][:, :3].trace(),
    "tril": lambda lib, F, t: t["x"].tril(),
    "diag": lambda lib, F, t: lib.diag(t["y"]),
    "roll": lambda lib, F, t: t["x"].roll(1, 0),
    "cumprod": lambda lib, F, t: t["x"].cumprod(1),
    "lerp": lambda lib, F, t: lib.lerp(t["x"], t["c"], 0.3),
    "atan2": lambda lib, F, t: lib.atan2(t["x"], t["c"]),
    "erf": lambda lib, F, t: t["x"].erf(),
    "std1": lambda lib, F, t: t["x"].std(1),
    "var1": lambda lib, F, t: t["x"].var(1),
    "median": lambda lib, F, t: t["x"].median(),
    "sort": lambda lib, F, t: t["x"].sort(1)[0],
    "topk": lambda lib, F, t: t["x"].topk(2)[0],
    "amax": lambda lib, F, t: t["x"].amax(1),
    "norm1": lambda lib, F, t: t["x"].norm(dim=1),
    "linalg_norm": lambda lib, F, t: lib.linalg.norm(t["x"]),
    "dist": lambda lib, F, t: lib.dist(t["x"], t["c"]),
    "gather": lambda lib, F, t: t["x"].gather(1, lib.tensor([[0], [1], [2]])),
    "index_select": lambda lib, F, t: t["x"].index_select(0, lib.tensor([0, 2])),
    "masked_select": lambda lib, F, t: t["x"].masked_select(t["c"] > 0),
    "narrow": lambda lib, F, t: t["x"].narrow(1, 0, 2),
    "adaptive_avg": lambda lib, F, t: F.adaptive_avg_pool2d(t["img"], 1),
    "adaptive_max": lambda lib, F, t: F.adaptive_max_pool2d(t["img"], 1),
    "group_norm": lambda lib, F, t: F.group_norm(t["img"], 1),
    "instance_norm": lambda lib, F, t: F.instance_norm(t["img"]),
    "upsample_bilinear": lambda lib, F, t: F.interpolate(t["img"], scale_factor=2, mode="bilinear",
                                                         align_corners=False),
    "conv1d": lambda lib, F, t: F.conv1d(t["img"][:, :, 0], t["k"][:, :, 0]),
    "unfold": lambda lib, F, t: F.unfold(t["img"], 2),
    "one_minus_sigmoid": lambda lib, F, t: 1 - t["x"].sigmoid(),
    "mean_all_dims": lambda lib, F, t: t["x"].mean((0, 1)),
    "sum_keep": lambda lib, F, t: t["x"].sum(1, keepdim=True),
    "log1p": lambda lib, F, t: t["x"].abs().log1p(),
    "rsqrt": lambda lib, F, t: t["x"].abs().rsqrt(),
    "reciprocal": lambda lib, F, t: t["x"].reciprocal(),
    "sign_mul": lambda lib, F, t: t["x"].sign() * t["x"],
    "fmod": lambda lib, F, t: t["x"].fmod(0.7),
    "minimum": lambda lib, F, t: lib.minimum(t["x"], t["c"]),
    "logaddexp": lambda lib, F, t: lib.logaddexp(t["x"], t["c"]),
    "hypot": lambda lib, F, t: lib.hypot(t["x"], t["c"]),
    "cdist": lambda lib, F, t: lib.cdist(t["x"], t["c"]),
    "einsum_mm": lambda lib, F, t: lib.einsum("ij,jk->ik", t["x"], t["m"]),
    "matrix_power": lambda lib, F, t: t["x"][:, :3].matrix_power(2),
    "dropout_train": lambda lib, F, t: F.dropout(t["x"], 0.0),
    "flatten_all": lambda lib, F, t: t["x"].flatten(),
    "view_as": lambda lib, F, t: t["x"].view_as(t["c"]),
    "contiguous_T": lambda lib, F, t: t["x"].T.contiguous(),
    "to_double": lambda lib, F, t: t["x"].to(lib.float32),
    "detach_mul": lambda lib, F, t: t["x"].detach() * t["y"],
}


def _seeded(lib, make):
    lib.manual_seed(0)
    return make()


# Where the name cannot be PyTorch's, with the reason (docs/pytorch.md, "The graph a learner prints", says so too)
BY_CALL = ("one minigan class where PyTorch names the call and the node does not keep enough to tell (a view: "
           "View/Unsqueeze/Squeeze/Expand, Permute/T/Transpose; a part: Slice/Split/Select/Unbind; Fill/Zero; "
           "CopySlices): the commonest call's name")
OWN_GRAPH = ("another decomposition than PyTorch's: repeat, tile, flip and roll are minigan views, copies and cats; "
             "diag an index_put; "
             "index_fill and scatter an index_put; the distances a norm; the adaptive max pool and bilinear "
             "upsampling their gathers and sums")
NUMBER = "PyTorch calls another overload for the Python number (1 - x: rsub)"
ENGINE_METHOD = ("composed inside the engine's methods (std: the square root of var; min: a max node; max(dim): a "
                 "gather of the argmax), whose last step shows")
DIFFERENT = {
    "1-b": NUMBER,
    "std": ENGINE_METHOD, "min": ENGINE_METHOD, "max_dim": ENGINE_METHOD,
    "std1": ENGINE_METHOD, "one_minus_sigmoid": NUMBER,
    "bmm": BY_CALL, "diag": OWN_GRAPH, "roll": OWN_GRAPH,
    "adaptive_max": OWN_GRAPH, "upsample_bilinear": OWN_GRAPH, "pairwise_distance": OWN_GRAPH,
    "unsqueeze": BY_CALL, "squeeze": BY_CALL, "transpose": BY_CALL, "rp_mT": BY_CALL, "rp_t": BY_CALL,
    "rp_unsq": BY_CALL, "rp_expand_same": BY_CALL, "rp_split0": BY_CALL, "rp_split1": BY_CALL, "rp_chunk": BY_CALL,
    "rp_unbind": BY_CALL, "rp_squeeze": BY_CALL, "rp_zero_": BY_CALL, "rp_set_row": BY_CALL,
    "repeat": OWN_GRAPH, "rp_repeat": OWN_GRAPH, "rp_tile": OWN_GRAPH, "rp_flip": OWN_GRAPH, "rp_max_dim": OWN_GRAPH,
    "rp_index_fill": OWN_GRAPH, "rp_index_fill_": OWN_GRAPH, "rp_scatter_n": OWN_GRAPH, "rp_scatter_": OWN_GRAPH,
}


def _name(lib, F, f):
    out = f(lib, F, view._inputs(lib))
    out = out[0] if isinstance(out, tuple) else out
    return None if out.grad_fn is None else out.grad_fn.name()


def names():
    """{case: (minigan's name, PyTorch's name)} for every call with a node in PyTorch."""
    cases = {**view._cases(), **EXTRA}
    found = {k: (_name(minigan, MF, f), _name(torch, TF, f)) for k, f in cases.items() if k not in view.VERSIONED}
    return {k: v for k, v in found.items() if v[1] is not None}


def test_every_call_shows_pytorchs_name_for_its_node():
    found = names()
    differ = {k for k, (ours, theirs) in found.items() if ours != theirs}
    print(f"\n{len(found)} calls with a node: PyTorch's name in {len(found) - len(differ)}")
    unexpected = {k: found[k] for k in sorted(differ - set(DIFFERENT))}
    assert not unexpected, unexpected
    assert not set(DIFFERENT) - differ, f"these now match PyTorch: take them off DIFFERENT: {set(DIFFERENT) - differ}"


@pytest.mark.parametrize("name", [pytest.param(k, marks=[mark]) for k, mark in sorted(view.VERSIONED.items())])
def test_the_names_where_pytorch_versions_differ(name):
    f = view._cases()[name]
    assert _name(minigan, MF, f) == _name(torch, TF, f)


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
