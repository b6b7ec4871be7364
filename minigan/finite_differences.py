"""Check analytic gradients against central finite differences, in float64.

    ∂f/∂x_k ≈ (f(x + ε e_k) − f(x − ε e_k)) / 2ε     (error O(ε²))

Small problems get the full Jacobian, one column per input element and one row per output
element (one backward per row).  Large ones are checked along a few random directions v:
⟨∇⟨r, f⟩, v⟩ against (⟨r, f(x + εv)⟩ − ⟨r, f(x − εv)⟩) / 2ε, with a fixed random r.
float32 has only ~7 digits, too few for finite differences: inputs must be float64.
"""

from __future__ import annotations

from minigan import autograd
from minigan.engine import backend
from minigan.engine.errors import GradcheckError
from minigan.engine.grad_mode import enable_grad, no_grad
from minigan.engine.ops.shape import Cat
from minigan.surface.tensor import Tensor

FULL_JACOBIAN_LIMIT = 4096  # input elements × output elements above this: random directions


def _describe(fn, out) -> str:
    name = getattr(fn, "__name__", type(fn).__name__)
    op = type(out._ctx).__name__ if out is not None and out._ctx is not None else "?"
    return f"{name} (last op: {op})"


def _evaluate(fn, inputs):
    with no_grad():
        out = fn(*inputs)
    if not isinstance(out, Tensor):
        raise TypeError(f"gradcheck: fn must return a Tensor, got {type(out).__name__}")
    return out.array.copy()  # a copy: the output may be a view of the input we perturb next


def gradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, directions=3, seed=0, *, raise_exception=True):
    """True when every input that requires grad has the gradient finite differences predict.

    Raises ``GradcheckError`` naming the function, its last op, the input, the worst element,
    and the analytic vs numeric values; with ``raise_exception=False`` returns False instead, as PyTorch's.
    Inputs that are not tensors (a scale, a flag, None) are handed to ``fn`` as they are, as PyTorch's are.
    """
    if isinstance(inputs, Tensor):
        inputs = (inputs,)
    inputs = tuple(inputs) if hasattr(inputs, "__iter__") and not isinstance(inputs, (str, bytes)) else ()
    if not inputs:
        raise TypeError("gradcheck: inputs must be a Tensor or a non-empty sequence of inputs")
    if not (eps > 0) or not (atol >= 0) or not (rtol >= 0):
        raise ValueError(f"gradcheck: eps must be > 0 and atol, rtol >= 0, got eps={eps}, atol={atol}, rtol={rtol}")
    checked = [i for i, t in enumerate(inputs) if isinstance(t, Tensor) and t.requires_grad]
    if not checked:
        raise ValueError("gradcheck: no input has requires_grad=True, so there is nothing to check")
    for i in checked:
        if inputs[i].dtype != backend.np.float64:
            raise TypeError(
                f"gradcheck: input {i} has dtype {inputs[i].dtype}; finite differences need float64 "
                "(use Tensor(x, dtype='float64') or x.double())"
            )
        if not inputs[i].is_leaf:
            raise ValueError(f"gradcheck: input {i} must be a leaf tensor (create it directly, not from an op)")

    out = fn(*inputs)
    if not isinstance(out, Tensor):
        raise TypeError(f"gradcheck: fn must return a Tensor, got {type(out).__name__}")
    try:
        if not out.requires_grad:
            raise GradcheckError(f"gradcheck: the output of {_describe(fn, out)} does not require grad")
        xp = backend.get_array_module(out.array)
        n_in = sum(inputs[i].numel() for i in checked)
        if n_in * out.numel() <= FULL_JACOBIAN_LIMIT:
            _full_jacobian(fn, inputs, checked, out, eps, atol, rtol, xp)
        else:
            _random_directions(fn, inputs, checked, out, eps, atol, rtol, xp, directions, seed)
    except GradcheckError:
        if raise_exception:
            raise
        return False
    return True


def _gradients(out, inputs, checked, seed_grad):
    """d⟨seed, out⟩/d input for each checked input (zeros where out does not depend on it); .grad untouched."""
    found = autograd.grad(out, [inputs[i] for i in checked], grad_outputs=out._new(seed_grad),
                          retain_graph=True, allow_unused=True)
    return {i: (g.array if g is not None else None) for i, g in zip(checked, found)}


def gradgradcheck(fn, inputs, grad_outputs=None, eps=1e-6, atol=1e-5, rtol=1e-3, directions=3, seed=0, *,
                  raise_exception=True):
    """Check second derivatives: ``gradcheck`` of the gradient itself, computed with ``create_graph=True``.

    The function checked is (inputs, v) ↦ ∂⟨v, fn(inputs)⟩/∂inputs, with v = ``grad_outputs`` (random
    float64 by default), so the derivatives of the backward pass with respect to the inputs and to
    the incoming gradient are both compared with finite differences.  Inputs that are not tensors are handed
    to ``fn`` as they are; ``raise_exception=False`` returns False for a wrong derivative (as PyTorch's).
    """
    if isinstance(inputs, Tensor):
        inputs = (inputs,)
    inputs = tuple(inputs) if hasattr(inputs, "__iter__") and not isinstance(inputs, (str, bytes)) else ()
    if not inputs:
        raise TypeError("gradgradcheck: inputs must be a Tensor or a non-empty sequence of inputs")
    checked = [t for t in inputs if isinstance(t, Tensor) and t.requires_grad]
    if not checked:
        raise ValueError("gradgradcheck: no input has requires_grad=True, so there is nothing to check")
    out = fn(*inputs)
    if not isinstance(out, Tensor):
        raise TypeError(f"gradgradcheck: fn must return a Tensor, got {type(out).__name__}")
    if grad_outputs is None:
        rng = backend.np.random.default_rng(seed)
        grad_outputs = Tensor(rng.standard_normal(out.shape), dtype=backend.np.float64, device=out.device)
    v = Tensor(grad_outputs, dtype=backend.np.float64, device=out.device, requires_grad=True)

    def first_derivative(*args):
        *xs, v_ = args
        with enable_grad():  # gradcheck evaluates under no_grad(); a gradient needs its graph
            y = fn(*xs)
            found = autograd.grad(y, [x for x in xs if isinstance(x, Tensor) and x.requires_grad], grad_outputs=v_,
                                  create_graph=True, allow_unused=True)
        parts = [g.reshape(-1) for g in found if g is not None]
        return Cat.apply(*parts, axis=0) if len(parts) > 1 else parts[0]

    first_derivative.__name__ = f"gradient of {getattr(fn, '__name__', type(fn).__name__)}"
    return gradcheck(first_derivative, (*inputs, v), eps=eps, atol=atol, rtol=rtol, directions=directions, seed=seed,
                     raise_exception=raise_exception)


def _full_jacobian(fn, inputs, checked, out, eps, atol, rtol, xp):
    n_out = out.numel()
    for i in checked:
        x = inputs[i]
        if not x.array.flags.c_contiguous:
            x.array = xp.ascontiguousarray(x.array)
        flat = x.array.reshape(-1)  # a view: writing to it perturbs the input in place
        numeric = xp.zeros((n_out, x.numel()))
        for k in range(x.numel()):
            orig = flat[k].item()
            flat[k] = orig + eps
            plus = _evaluate(fn, inputs).reshape(-1)
            flat[k] = orig - eps
            minus = _evaluate(fn, inputs).reshape(-1)
            flat[k] = orig
            numeric[:, k] = (plus - minus) / (2 * eps)
        analytic = xp.zeros((n_out, x.numel()))
        for j in range(n_out):
            seed_grad = xp.zeros(out.numel(), dtype=out.dtype)
            seed_grad[j] = 1
            g = _gradients(out, inputs, [i], seed_grad.reshape(out.shape))[i]
            if g is not None:  # (on the input's device, which may not be the output's: a .to() between)
                analytic[j] = backend.to_device(g.reshape(-1), backend.device_of(analytic))
        _compare(fn, out, i, x, analytic, numeric, atol, rtol, xp, "jacobian")


def _random_directions(fn, inputs, checked, out, eps, atol, rtol, xp, directions, seed):
    rng = backend.np.random.default_rng(seed)
    r = xp.asarray(rng.standard_normal(out.shape))  # a fixed projection of the output
    grads = _gradients(out, inputs, checked, r.astype(out.dtype))
    for i in checked:
        x = inputs[i]
        xi = backend.get_array_module(x.array)  # the input's device, which may not be the output's
        grad = grads[i] if grads[i] is not None else xi.zeros_like(x.array)
        for d in range(directions):
            v = xi.asarray(rng.standard_normal(x.shape))
            v /= max(float(xi.sqrt((v * v).sum())), 1e-30)
            orig = x.array.copy()
            x.array[...] = orig + eps * v
            plus = float((r * _evaluate(fn, inputs)).sum())
            x.array[...] = orig - eps * v
            minus = float((r * _evaluate(fn, inputs)).sum())
            x.array[...] = orig
            numeric = xp.asarray([[(plus - minus) / (2 * eps)]])
            analytic = xp.asarray([[float((grad * v).sum())]])
            _compare(fn, out, i, x, analytic, numeric, atol, rtol, xp, f"random direction {d}")


def _compare(fn, out, i, x, analytic, numeric, atol, rtol, xp, mode):
    err = abs(analytic - numeric)
    bad = err > atol + rtol * abs(numeric)
    if bool(bad.any()) or not bool(xp.isfinite(analytic).all()):
        excess = err - (atol + rtol * abs(numeric))  # report the element furthest past its own tolerance
        worst = int((xp.where(xp.isfinite(excess), excess, xp.inf)).argmax())
        j, k = divmod(worst, analytic.shape[1])
        a, n = float(analytic.reshape(-1)[worst]), float(numeric.reshape(-1)[worst])
        where = (
            f"d out[{_unravel(j, out.shape)}] / d input[{_unravel(k, x.shape)}]" if mode == "jacobian" else mode
        )
        raise GradcheckError(
            f"gradcheck failed for {_describe(fn, out)}: input {i} (shape {tuple(x.shape)}), {where}: "
            f"analytic {a:.10g} vs numeric {n:.10g} (|diff| {abs(a - n):.3g} > atol {atol:g} + rtol {rtol:g}·|numeric|)"
        )


def _unravel(flat_index, shape):
    idx = backend.np.unravel_index(flat_index, shape) if shape else ()
    return ", ".join(str(int(v)) for v in idx)


# ----------------------------------------------------------------------------- torch.autograd's names
def _pytorch_inputs(inputs, op):
    """PyTorch's _as_tuple and _check_inputs: a tuple, a list (as a tuple) or one object; each input that requires
    grad may have no dimension of stride 0 and more than one entry (RuntimeError: an expanded tensor, where moving
    one entry moves others), and one at least must require grad (ValueError)."""
    inputs = tuple(inputs) if isinstance(inputs, (tuple, list)) else (inputs,)
    checked = [i for i, t in enumerate(inputs) if isinstance(t, Tensor) and t.requires_grad]
    for i in checked:
        if not all(s > 0 or n <= 1 for s, n in zip(inputs[i].stride(), inputs[i].shape)):
            raise RuntimeError(f"{op}: input {i} has a dimension with stride 0 (an expanded tensor: moving one entry "
                               "moves the others); call .contiguous() on it first")
    if not checked:
        raise ValueError(f"{op}: no input has requires_grad=True, so there is nothing to check")
    return inputs


def _callable(func):
    if not callable(func):  # (PyTorch calls it next: Python's TypeError)
        raise TypeError(f"'{type(func).__name__}' object is not callable")


def _no_forward_ad(op, forward):
    if forward:
        raise NotImplementedError(f"{op}: minigan has no forward-mode AD to check; check the backward (the default)")


def autograd_gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True, nondet_tol=0.0,
                       check_undefined_grad=True, check_grad_dtypes=False, check_batched_grad=False,
                       check_batched_forward_grad=False, check_forward_ad=False, check_backward_ad=True,
                       fast_mode=False, masked=None):
    """``torch.autograd.gradcheck``: PyTorch's signature and checks, in its order (its flags, AssertionError; the
    inputs; func called), then ``gradcheck`` above.  minigan's gradients are deterministic (``nondet_tol``), of
    tensors without vmap or sparse layouts (the batched and masked flags check nothing here); fast_mode is above's
    random directions for large problems."""
    if not (check_forward_ad or check_backward_ad):
        raise AssertionError("Expected at least one of check_forward_ad or check_backward_ad to be True")
    if check_batched_grad and not check_backward_ad:
        raise AssertionError("Setting check_batched_grad=True requires check_backward_ad to be True")
    if check_batched_forward_grad and not check_forward_ad:
        raise AssertionError("Setting check_batched_forward_grad=True requires check_forward_ad to be True")
    inputs = _pytorch_inputs(inputs, "gradcheck")
    _callable(func)
    _no_forward_ad("gradcheck", check_forward_ad)
    return gradcheck(func, inputs, eps=eps, atol=atol, rtol=rtol, raise_exception=raise_exception)


def autograd_gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3,
                           gen_non_contig_grad_outputs=False, raise_exception=True, nondet_tol=0.0,
                           check_undefined_grad=True, check_grad_dtypes=False, check_batched_grad=False,
                           check_fwd_over_rev=False, check_rev_over_rev=True, fast_mode=False, masked=False):
    """``torch.autograd.gradgradcheck``: PyTorch's signature and checks, in its order (its flags, AssertionError;
    without grad_outputs, func called to make them; grad_outputs read as tensors; the inputs and grad_outputs
    checked as gradcheck's), then ``gradgradcheck`` above."""
    if not (check_fwd_over_rev or check_rev_over_rev):
        raise AssertionError("Expected at least one of check_fwd_over_rev or check_rev_over_rev to be True")
    if check_undefined_grad and not check_rev_over_rev:
        raise AssertionError("Setting check_undefined_grad=True requires check_rev_over_rev to be True")
    if check_batched_grad and not check_rev_over_rev:
        raise AssertionError("Setting check_batched_grad=True requires check_rev_over_rev to be True")
    inputs = tuple(inputs) if isinstance(inputs, (tuple, list)) else (inputs,)
    if grad_outputs is None:  # (PyTorch calls func to draw one for each output that requires grad, requiring grad)
        _callable(func)
        found = func(*inputs)
        found = tuple(found) if isinstance(found, (tuple, list)) else (found,)
        outputs = tuple(Tensor(0.0, dtype=backend.np.float64, requires_grad=True) for o in found if o.requires_grad)
    else:
        outputs = tuple(grad_outputs) if isinstance(grad_outputs, (tuple, list)) else (grad_outputs,)
        for g in outputs:
            if not isinstance(g, Tensor):  # (PyTorch reads g.requires_grad: an AttributeError)
                raise AttributeError(f"gradgradcheck: grad_outputs must be tensors, got a {type(g).__name__}")
        grad_outputs = outputs[0] if len(outputs) == 1 else outputs
    _pytorch_inputs(inputs + outputs, "gradgradcheck")
    _callable(func)
    if not any(isinstance(t, Tensor) and t.requires_grad for t in inputs):  # (PyTorch's grad() of no inputs)
        raise RuntimeError("gradgradcheck: no input requires grad, so there is no first derivative to check")
    _no_forward_ad("gradgradcheck", check_fwd_over_rev)
    return gradgradcheck(func, inputs, grad_outputs, eps=eps,
                         atol=atol, rtol=rtol, raise_exception=raise_exception)
