"""A module's full backward hooks, as PyTorch's ``register_full_backward_hook`` and
``register_full_backward_pre_hook``:

    hook(module, grad_input, grad_output)   # after the gradients reach the module's inputs; may return new ones
    pre_hook(module, grad_output)           # when the gradients reach its outputs; may return new ones

grad_input holds one entry per positional argument of forward, as PyTorch's: None for one that is not a Tensor, and
once any argument takes a gradient, zeros of its shape and dtype for a Tensor that takes none (when none takes one,
every entry is None); grad_output holds one per output.
A hook needs all of them at once, while minigan's ops each have one output.  So, around forward, the tensors that
require grad are packed into one flat tensor by an identity op (``_Pack``) and unpacked into views that forward (or
the caller) reads: the pack's backward then receives every gradient in one array, splits it, and calls the hooks.
"""

from __future__ import annotations

from minigan.autograd.function import Function
from minigan.engine import backend
from minigan.engine.errors import GraphError
from minigan.engine.grad_mode import is_grad_enabled
from minigan.functional import cat
from minigan.surface.tensor import Tensor


class _Pack(Function):
    """Identity on several tensors, as one flat tensor; its backward hands the split gradients to ``on_backward``,
    which returns the gradients to pass on (the hooks may replace them)."""

    @staticmethod
    def forward(ctx, on_backward, *tensors):
        ctx.on_backward, ctx.shapes = on_backward, [t.shape for t in tensors]
        return cat([t.reshape(-1) for t in tensors])

    @staticmethod
    def backward(ctx, grad):
        pieces, start = [], 0
        for shape in ctx.shapes:
            size = 1
            for n in shape:
                size *= n
            pieces.append(grad[start : start + size].reshape(shape))
            start += size
        return (None, *ctx.on_backward(pieces))


def _packed(on_backward, tensors):
    """The tensors again, as views of one packed tensor whose backward calls ``on_backward``."""
    flat, start, views = _Pack.apply(on_backward, *tensors), 0, []
    for t in tensors:
        view = flat[start : start + t.numel()].reshape(t.shape).to(t.dtype)
        if view._base is not None:  # a Function's view: changing it in place raises, as PyTorch's BackwardHookFunction
            view._view_kind = "Function"
        views.append(view)
        start += t.numel()
    return views


def call_with_backward_hooks(module, args, kwargs):
    """module.forward(*args, **kwargs), with the module's backward hooks called as the gradients pass."""
    inputs = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
    wanted = [i for i in inputs if args[i].requires_grad] if is_grad_enabled() else []
    seen = {"grad_output": ()}

    def call_hooks(grad_input):
        for hook in tuple(module._backward_hooks.values()):
            changed = hook(module, grad_input, seen["grad_output"])
            if changed is None:
                continue
            if not hasattr(changed, "__len__"):  # PyTorch's TypeError (what has a length is taken as a sequence)
                raise TypeError(f"{type(module).__name__}'s backward hook returned a {type(changed).__name__} for "
                                f"grad_input; return a tuple of one per argument of forward ({len(args)})")
            if not wanted and any(g is not None for g in changed):  # PyTorch's RuntimeError, and the one below
                raise GraphError(f"{type(module).__name__}'s backward hook returned a gradient where no input of "
                                 "forward takes one: return None (or None for each)")
            if wanted and len(changed) != len(args):
                raise GraphError(f"{type(module).__name__}'s backward hook returned {len(changed)} gradients "
                                 f"for grad_input; return one per argument of forward ({len(args)})")
            _tensors_or_none(module, "backward hook", changed)  # (after the count, as PyTorch's)
            grad_input = tuple(changed)
        return grad_input

    def on_inputs(pieces):  # every gradient reaching the inputs: grad_input, zeros for a Tensor that takes none
        given = dict(zip(wanted, pieces))
        grad_input = call_hooks(tuple(given[i] if i in given else _zeros(args[i]) if i in inputs else None
                                      for i in range(len(args))))
        return [grad_input[i] for i in wanted]

    if wanted:
        args = list(args)
        for i, view in zip(wanted, _packed(on_inputs, [args[i] for i in wanted])):
            args[i] = view
    output = module.forward(*args, **kwargs)
    outputs = list(output) if isinstance(output, tuple) else [output]
    flowing = [k for k, o in enumerate(outputs) if isinstance(o, Tensor) and o.requires_grad]

    def on_outputs(pieces):  # every gradient reaching the outputs: grad_output
        given = dict(zip(flowing, pieces))
        grad_output = tuple(given.get(k) for k in range(len(outputs)))
        for hook in tuple(module._backward_pre_hooks.values()):
            changed = hook(module, grad_output)
            if changed is None:
                continue
            sequence = hasattr(changed, "__len__")
            if not sequence or len(changed) != len(outputs):  # PyTorch's TypeError, RuntimeError for the count
                got = f"{len(changed)} gradients" if sequence else f"a {type(changed).__name__}"
                raise (GraphError if sequence else TypeError)(
                    f"{type(module).__name__}'s backward pre-hook returned {got} for grad_output; return a tuple of "
                    f"one per output of forward ({len(outputs)})")
            _tensors_or_none(module, "backward pre-hook", changed)
            grad_output = tuple(changed)
        seen["grad_output"] = grad_output
        if not wanted:  # no input takes a gradient: the hooks are called now, with None for each argument
            call_hooks((None,) * len(args))
        return [grad_output[k] for k in flowing]

    if flowing:
        for k, view in zip(flowing, _packed(on_outputs, [outputs[k] for k in flowing])):
            outputs[k] = view
    return tuple(outputs) if isinstance(output, tuple) else outputs[0]


def _tensors_or_none(module, kind, changed):
    """Each gradient a backward hook returned is a Tensor or None (PyTorch's TypeError otherwise)."""
    for g in changed:
        if g is not None and not isinstance(g, Tensor):
            raise TypeError(f"{type(module).__name__}'s {kind} returned a {type(g).__name__} among its gradients; "
                            "return a Tensor (or None) for each")


def _zeros(t):
    """The gradient of a Tensor argument that takes none: zeros of its shape and dtype (PyTorch materializes it)."""
    return Tensor._make(backend.get_array_module(t.array).zeros(t.shape, t.dtype))
