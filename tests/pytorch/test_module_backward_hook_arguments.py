"""A module's full backward hook and forward's arguments of every kind, against PyTorch: grad_input has one entry
per positional argument of forward, None for one that is not a Tensor; once any argument takes a gradient, a Tensor
argument that takes none gets zeros of its shape and dtype (PyTorch's materialized gradient, int64 zeros for an
integer tensor); when none takes a gradient, every entry is None.  A hook may return new gradients, one per
argument, and a pre-hook one per output, as a tuple (another count, or a bare Tensor, is refused); the gradients
reaching the inputs are compared too.

(The hooks on modules whose arguments are all Tensors: tests/pytorch/test_module_backward_hooks.py.)"""

import itertools
import warnings

import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

KINDS = ("grad", "plain", "int", "number", "none", "string")


def _argument(lib, kind, k):
    return {"grad": lambda: lib.tensor([1.0 + k, -2.0], requires_grad=True),
            "plain": lambda: lib.tensor([3.0, 4.0 - k]), "int": lambda: lib.tensor([1, 2 + k]),
            "number": lambda: 2.5 + k, "none": lambda: None, "string": lambda: "s"}[kind]()


def _plain(grads):
    return [None if g is None else (str(g.dtype).split(".")[-1], tuple(g.shape), g.tolist()) for g in grads]


def _outcome(lib, kinds, weight, returned):
    class Mix(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.w = lib.nn.Parameter(lib.tensor([1.5, -0.5]), requires_grad=weight)

        def forward(self, *args):
            out = self.w * 1
            for k, a in enumerate(args):
                if isinstance(a, lib.Tensor) and a.is_floating_point():
                    out = out + a * (k + 2)
                elif isinstance(a, float):
                    out = out * a
            return out

    seen = []

    def hook(module, grad_input, grad_output):
        seen.append((_plain(grad_input), _plain(grad_output)))
        if returned == "scaled":
            return tuple(None if g is None else g * 10 for g in grad_input)
        if returned == "one more":
            return (*grad_input, None)
        if returned == "a bare tensor":
            return next((g for g in grad_input if g is not None), None)

    def pre_hook(module, grad_output):
        seen.append(_plain(grad_output))
        if returned == "pre: scaled":
            return tuple(g * 3 for g in grad_output)
        if returned == "pre: one more":
            return (*grad_output, None)
        if returned == "pre: a bare tensor":
            return grad_output[0] * 3

    m = Mix()
    m.register_full_backward_hook(hook)
    if returned.startswith("pre"):
        m.register_full_backward_pre_hook(pre_hook)
    args = [_argument(lib, kind, k) for k, kind in enumerate(kinds)]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (PyTorch's note when no input takes a gradient)
            m(*args).sum().backward()
    except Exception as e:  # noqa: BLE001 - the class is compared
        return type(e), seen
    return seen, [None if not isinstance(a, lib.Tensor) or a.grad is None else a.grad.tolist() for a in args]


ARGUMENTS = [kinds for kinds in [*itertools.product(KINDS, repeat=2), *itertools.combinations(KINDS, 3),
                                  ("grad",), ("plain",)] if any(k in ("grad", "plain") for k in kinds)]


@pytest.mark.parametrize("returned", ["nothing", "scaled", "one more", "a bare tensor", "pre: scaled",
                                      "pre: one more", "pre: a bare tensor"])
@pytest.mark.parametrize("kinds, weight", [pytest.param(kinds, weight, id="-".join(kinds) + ("-weight" * weight))
                                           for kinds in ARGUMENTS for weight in (True, False)
                                           if weight or "grad" in kinds])  # (else nothing requires grad)
def test_grad_input_has_pytorchs_entries(kinds, weight, returned):
    theirs = _outcome(torch, kinds, weight, returned)
    ours = _outcome(minigan, kinds, weight, returned)
    if isinstance(theirs[0], type):
        assert isinstance(ours[0], type) and issubclass(ours[0], theirs[0]), (ours, theirs)
        assert ours[1] == theirs[1]
    else:
        assert ours == theirs
