"""Module.register_full_backward_hook and register_full_backward_pre_hook against PyTorch (tests/pytorch/sweep.py):

* on forward's arguments of every kind: grad_input has one entry per positional argument, None for one that is not
  a Tensor; once any argument takes a gradient, a Tensor argument that takes none gets zeros of its shape and dtype
  (PyTorch's materialized gradient, int64 zeros for an integer tensor); when none takes a gradient, every entry is
  None.  A hook may return new gradients, one per argument, and a pre-hook one per output, as a tuple (another
  count, or a bare Tensor, is refused); the gradients reaching the inputs are compared too;
* on layers (a Linear, a convolution and a ReLU, a module of two inputs): what each hook sees (grad_input per
  tensor argument, None where none flows; grad_output per output), gradients a hook replaces, the gradients that
  reach the inputs and the parameters, with inputs that take no gradient too;
* a hooked module hands its forward the inputs, and its caller the outputs, as views made by an autograd Function
  (PyTorch's BackwardHookFunction): changing one in place while gradients are recorded is PyTorch's RuntimeError
  (the usual case: an activation with inplace=True next to a hooked layer), over the hook kinds, where the hook
  sits, the in-place activations and whether the input requires grad.

(Their torch-free tests: tests/library/test_module_backward_hooks.py.)
"""

import itertools

import numpy as np
import pytest

from pytorch.sweep import close, outcome, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

KINDS = ("grad", "plain", "int", "number", "none", "string")
RETURNED = ["nothing", "scaled", "one more", "a bare tensor", "pre: scaled", "pre: one more", "pre: a bare tensor",
            "pre and hook: scaled"]


def _seen(grads):
    return [None if g is None else close(g.detach().clone(), 1e-12, 1e-14) for g in grads]


def _hooked(module, returned, seen):
    """The hooks registered on ``module``, each noting what it sees in ``seen`` and returning as ``returned`` says
    (a pre-hook only where it starts with "pre")."""
    def hook(module, grad_input, grad_output):
        seen.append(("hook", _seen(grad_input), _seen(grad_output)))
        if returned in ("scaled", "pre and hook: scaled"):
            return tuple(None if g is None else g * 10 for g in grad_input)
        if returned == "one more":
            return (*grad_input, None)
        if returned == "a bare tensor":
            return next((g for g in grad_input if g is not None), None)

    def pre_hook(module, grad_output):
        seen.append(("pre", _seen(grad_output)))
        if returned in ("pre: scaled", "pre and hook: scaled"):
            return tuple(g * 3 for g in grad_output)
        if returned == "pre: one more":
            return (*grad_output, None)
        if returned == "pre: a bare tensor":
            return grad_output[0] * 3

    module.register_full_backward_hook(hook)
    if returned.startswith("pre"):
        module.register_full_backward_pre_hook(pre_hook)
    return module


def _argument(L, kind, k):
    return {"grad": lambda: L.tensor([1.0 + k, -2.0], requires_grad=True),
            "plain": lambda: L.tensor([3.0, 4.0 - k]), "int": lambda: L.tensor([1, 2 + k]),
            "number": lambda: 2.5 + k, "none": lambda: None, "string": lambda: "s"}[kind]()


def _arguments(L, kinds, weight, returned):
    """What the hooks see, then the backward's refusal or the gradients that reach forward's arguments."""
    class Mix(L.nn.Module):
        def __init__(self):
            super().__init__()
            self.w = L.nn.Parameter(L.tensor([1.5, -0.5]), requires_grad=weight)

        def forward(self, *args):
            out = self.w * 1
            for k, a in enumerate(args):
                if isinstance(a, L.Tensor) and a.is_floating_point():
                    out = out + a * (k + 2)
                elif isinstance(a, float):
                    out = out * a
            return out

    seen = []
    m = _hooked(Mix(), returned, seen)
    args = [_argument(L, kind, k) for k, kind in enumerate(kinds)]
    ran = outcome(lambda: m(*args).sum().backward())
    return seen, ran if isinstance(ran, Exception) else [a.grad if isinstance(a, L.Tensor) else None for a in args]


ARGUMENTS = [kinds for kinds in [*itertools.product(KINDS, repeat=2), *itertools.combinations(KINDS, 3),
                                  ("grad",), ("plain",)] if any(k in ("grad", "plain") for k in kinds)]

test_grad_input_has_pytorchs_entries = sweep(_arguments, [
    (kinds, weight, returned) for kinds in ARGUMENTS for weight in (True, False) if weight or "grad" in kinds
    for returned in RETURNED],  # (nothing requires grad: no graph)
    ids=lambda kinds, weight, returned: "-".join(kinds) + "-weight" * weight + f"-{returned}")

LAYERS = {
    "linear": (lambda L: L.nn.Linear(3, 2), [(4, 3)]),
    "conv and relu": (lambda L: L.nn.Sequential(L.nn.Conv2d(2, 3, 3), L.nn.ReLU()), [(2, 2, 5, 5)]),
    "two inputs": (lambda L: L.nn.CosineSimilarity(), [(4, 3), (4, 3)]),
}


def _layer(L, layer, returned, inputs_grad):
    """What the hooks see, the inputs' gradients, the parameters' (by name)."""
    build, shapes = LAYERS[layer]
    seen = []
    module = _hooked(build(L).double(), returned, seen)
    with L.no_grad():
        for i, v in enumerate(module.state_dict().values()):  # (the state dict's tensors: the module's own)
            v.copy_(L.tensor(np.random.default_rng(i).standard_normal(tuple(v.shape))))
    rng = np.random.default_rng(0)
    xs = [L.tensor(rng.standard_normal(s), requires_grad=inputs_grad) for s in shapes]
    out = module(*xs)
    (out * L.tensor(np.arange(out.numel(), dtype=np.float64).reshape(tuple(out.shape)))).sum().backward()
    return seen, _seen([x.grad for x in xs]), [(n, *_seen([p.grad])) for n, p in module.named_parameters()]


test_backward_hooks_on_layers_see_and_change_what_pytorchs_do = sweep(_layer, [
    (layer, returned, inputs_grad) for layer in LAYERS for inputs_grad in (True, False)
    if inputs_grad or layer != "two inputs"  # (no parameter, no input: no graph)
    for returned in ["nothing", "pre: nothing", "pre and hook: scaled"]])

ACTIVATIONS = {"ReLU": {}, "LeakyReLU": {"negative_slope": 0.1}, "ELU": {}, "Hardtanh": {}, "ReLU6": {},
               "SiLU": {}, "Hardswish": {}, "SELU": {}, "CELU": {}, "Threshold": {"threshold": 0.1, "value": 0.0}}


def _in_place(L, activation, where, kind, x_grad):
    """The parameters' gradients where an in-place activation sits next to (or is) a hooked module."""
    rng = np.random.default_rng(0)
    model = L.nn.Sequential(L.nn.Linear(3, 4), getattr(L.nn, activation)(**ACTIVATIONS[activation], inplace=True),
                            L.nn.Linear(4, 2))
    with L.no_grad():
        for p in model.parameters():
            p.copy_(L.tensor(rng.normal(size=tuple(p.shape)), dtype=L.float32))
    hooked = {"layer": model[0], "activation": model[1], "whole": model}[where]
    if kind == "hook":
        hooked.register_full_backward_hook(lambda m, gi, go: None)
    else:
        hooked.register_full_backward_pre_hook(lambda m, go: None)
    model(L.tensor(rng.normal(size=(5, 3)), dtype=L.float32).requires_grad_(x_grad)).pow(2).sum().backward()
    return [close(p.grad.clone(), 1e-5, 1e-6) for p in model.parameters()]


test_in_place_on_a_hooked_modules_views = sweep(_in_place, itertools.product(
    ACTIVATIONS, ["layer", "activation", "whole"], ["hook", "pre_hook"], [False, True]))
