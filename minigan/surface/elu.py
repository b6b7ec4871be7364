"""PyTorch's elu kernel, which ``F.elu``, ``F.celu``, ``F.selu`` and their in-place forms all call, and its backward.

One kernel with three numbers: scale·x where x ≥ 0, else scale·α·(e^(x·input_scale) − 1).  elu is (α, 1, 1), selu
(1.6733, 1.0507, 1), celu (α, 1, 1/α).  The operations are PyTorch's, in its order, so the results are its to the
last bit (where NumPy's exponential rounds as the C library's does): the coefficients α·scale ("negcoef"), scale
and input_scale are multiplied in first, then

    value        x ≥ 0: x·scale                        else: expm1(x·input_scale)·(α·scale)
    gradient     x > 0: grad·scale                     else: grad·input_scale·(α·scale)·e^(x·input_scale)
    in place     result > 0: grad·scale                else: grad·input_scale·(result + α·scale)

The in-place forms (``elu_``, ``celu_``, ``selu_``) overwrite x, so their backward reads the result instead (the
third line, "is_result").  Each branch is taken element by element, as PyTorch's loop does on CPU: a NaN x takes the
first branch of the gradient (grad·scale).  At x = 0 the value takes the first branch (0·scale, never expm1(0·∞)) and
the gradient the second, as PyTorch's.
"""

from __future__ import annotations

from minigan.engine import backend
from minigan.engine.graph import Node, value


def _xp(a):
    return backend.get_array_module(a)


class ELU(Node):
    """scale·x where x ≥ 0, expm1(x·input_scale)·(α·scale) elsewhere, in the input's dtype (float32: each number
    rounded to float32 first, as PyTorch's kernel does).  ``backward_params``: the (α, scale, input_scale) its
    backward reads, where PyTorch's derivative formula passes others (celu's reads 1/α of α rounded to float32), or an
    exception its backward raises (that 1/α does not fit a float32); ``is_result``: the in-place forms' backward, read
    from the result; ``celu``: celu's node (its name; the numbers tell it from elu's only where α ≠ 1)."""

    def forward(self, x, alpha=1.0, scale=1.0, input_scale=1.0, is_result=False, backward_params=None, celu=False):
        xp, number = _xp(x), x.dtype.type
        self.params, self.is_result, self.celu = backward_params or (alpha, scale, input_scale), is_result, celu
        with backend.np.errstate(over="ignore", invalid="ignore"):  # (e^(x·input_scale) of a large x: not taken)
            negative = xp.expm1(x * number(input_scale)) * (number(alpha) * number(scale))
            out = xp.where(x >= 0, x if scale == 1 else x * number(scale), negative)  # (x·1 is x, −0 and NaN too)
        self.save_for_backward(out if is_result else x)
        return out

    def backward(self, grad):  # d/dx = scale where x > 0, scale·α·input_scale·e^(x·input_scale) elsewhere
        if isinstance(self.params, Exception):
            raise self.params
        (saved,) = self.saved_tensors
        return (ELUBackward.apply(grad, saved, params=self.params, is_result=self.is_result),)


class ELUBackward(Node):
    """PyTorch's elu_backward(grad, α, scale, input_scale, is_result, x or result), whose derivatives are PyTorch's
    too: in grad, elu_backward itself; in x, elu_backward(gg·grad·input_scale, x) times the mask x < 0 (in the result,
    gg·grad·input_scale times the mask result < 0): products, so an ∞ or NaN factor gives NaN at x = 0, as there."""

    def forward(self, grad, saved, params, is_result):
        (alpha, scale, input_scale), xp, number = params, _xp(saved), saved.dtype.type
        self.params, self.is_result = params, is_result
        self.save_for_backward(grad, saved)
        negcoef, scale, input_scale = number(alpha) * number(scale), number(scale), number(input_scale)
        with backend.np.errstate(over="ignore", invalid="ignore"):  # (e^(x·input_scale) of a large x: not taken)
            if is_result:
                negative = grad * input_scale * (saved + negcoef)
            else:
                negative = grad * input_scale * negcoef * xp.exp(saved * input_scale)
            return xp.where(saved <= 0, negative, grad if scale == 1 else grad * scale)

    def backward(self, gg):  # d/dgrad = the same map of gg; d/dx = elu_backward(gg·grad·input_scale, x)·[x < 0]
        grad, saved = self.saved_tensors
        negative = (value(saved) < 0).astype(value(saved).dtype)
        scaled = gg * grad * self.params[2]
        return (ELUBackward.apply(gg, saved, params=self.params, is_result=self.is_result),
                (scaled if self.is_result else ELUBackward.apply(scaled, saved, params=self.params,
                                                                 is_result=False)) * negative)
