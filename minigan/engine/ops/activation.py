"""Activations: sigmoid (stable), tanh, relu, leaky_relu, softplus."""

from minigan.engine import backend
from minigan.engine.graph import Node, namespace, value, zeros


def stable_sigmoid(x):
    """σ(x) without overflow: with e = exp(−|x|) ≤ 1, σ(x) = 1/(1+e) for x ≥ 0 and e/(1+e) for x < 0."""
    return _stable_sigmoid(backend.get_array_module(x), x)


# The elementwise chains below are ``backend.fused``: one kernel on a GPU, the lines themselves on a CPU
# (and on Tensors under create_graph, with xp = namespace(grad)).
@backend.fused
def _stable_sigmoid(xp, x):
    e = xp.exp(-xp.abs(x))
    return xp.where(x >= 0, 1 / (1 + e), e / (1 + e))


@backend.fused
def _sigmoid_grad(xp, grad, s):  # dσ/dx = σ(1 − σ), multiplied in this order: grad·(1 − σ) first, then ·σ
    return grad * (1 - s) * s


@backend.fused
def _tanh_grad(xp, grad, t):  # d tanh/dx = 1 − tanh²
    return grad * (1 - t * t)


@backend.fused
def _relu_grad(xp, grad, out):  # d relu/dx = H(x): a select, never grad·H, so ∞ where x ≤ 0 gives 0
    return xp.where(out <= 0, 0, grad)


@backend.fused
def _leaky_relu_grad(xp, grad, x, slope, one_minus_slope):  # d/dx = slope + (1 − slope)·H(x); numbers of x's dtype
    d = (x > 0) * one_minus_slope  # in d's own array from here (on a CPU, where() is several times slower)
    d += slope
    d *= grad
    return d


def stable_softplus(x):
    """log(1 + eˣ) = max(x, 0) + log1p(exp(−|x|)): exact for large |x| (no exp overflow)."""
    xp = backend.get_array_module(x)
    return xp.maximum(x, 0) + xp.log1p(xp.exp(-abs(x)))


class Sigmoid(Node):
    def forward(self, x):
        self.save_for_backward(out := stable_sigmoid(x))
        return out

    def backward(self, grad):  # dσ/dx = σ(1 − σ): on arrays the formula, under create_graph one node
        if isinstance(grad, backend.PLAIN_TYPES):
            return (_sigmoid_grad(backend.get_array_module(grad), grad, *self.saved_tensors),)
        return (SigmoidBackward.apply(grad, *self.saved_tensors),)


class SigmoidBackward(Node):
    """grad·σ(1 − σ) given σ, PyTorch's sigmoid_backward, whose derivatives are one product each (in grad the same
    map, in σ gg·grad·(1 − 2σ)): an infinite upstream gives ±∞ there, not the ∞ − ∞ = NaN of the product
    grad·σ·(1 − σ) differentiated term by term (glu and binary_cross_entropy of a sigmoid meet it)."""

    def forward(self, grad, s):
        self.save_for_backward(grad, s)
        return _sigmoid_grad(backend.get_array_module(grad), grad, s)

    def backward(self, gg):  # d/dgrad = σ(1 − σ), d/dσ = grad·(1 − 2σ)
        grad, s = self.saved_tensors
        return SigmoidBackward.apply(gg, s), gg * grad * (1 - 2 * s)


class Tanh(Node):
    def forward(self, x):
        self.save_for_backward(out := backend.get_array_module(x).tanh(x))
        return out

    def backward(self, grad):  # d tanh/dx = 1 − tanh²
        return (_tanh_grad(namespace(grad), grad, *self.saved_tensors),)


class Step(Node):
    """H(x): 1 where x > 0, else 0 (at 0 too), in x's dtype: the derivative of relu, the mask of the kinked
    activations' backward passes. Its own derivative is 0 wherever it exists, and it stays in the graph, so a
    second derivative through relu is 0, not "does not require grad" (a derivative that is 0 is still a derivative)."""

    def forward(self, x):
        return (x > 0).astype(x.dtype)

    def backward(self, grad):  # dH/dx = 0 (x ≠ 0)
        return (zeros(grad),)


class Select(Node):
    """``grad`` where ``keep`` holds, else 0: the backward of a kinked activation (relu, hardtanh), PyTorch's
    threshold_backward.  A select, never grad·mask, so an ∞ or NaN gradient where ``keep`` is False gives 0, not
    0·∞ = NaN.  ``x``, what the mask was read from, stays in the graph with derivative 0, so a second derivative
    through relu is 0, not "does not require grad" (as Step, for the same reason)."""

    def forward(self, grad, x, keep):
        self.keep = keep
        self.save_for_backward(x)
        return backend.get_array_module(grad).where(keep, grad, grad.dtype.type(0))

    def backward(self, gg):  # d/dgrad = the same select; d/dx = 0
        (x,), (need_grad, need_x) = self.saved_tensors, self.needs_input_grad
        return (Select.apply(gg, x, keep=self.keep) if need_grad else None, zeros(gg) if need_x else None)


class ReLU(Node):
    def forward(self, x):
        self.save_for_backward(out := backend.get_array_module(x).maximum(x, 0))  # relu(−∞) = 0, relu(NaN) = NaN,
        return out  # (np.maximum keeps NaN); the output saved: out > 0 exactly where x > 0

    def backward(self, grad):  # d relu/dx = H(x) = 1 if x > 0 else 0: grad where out > 0 (or is NaN), else 0
        (out,) = self.saved_tensors
        if type(out) is backend.np.ndarray:  # first order on a CPU: the select on the bits (backend.keep_where);
            return (backend.keep_where(out != 0, grad),)  # out = max(x, 0) is never below 0: != 0 is "not <= 0"
        if backend.is_array(out):  # first order on a GPU: one kernel
            return (_relu_grad(backend.get_array_module(out), grad, out),)
        return (Select.apply(grad, out, keep=~(value(out) <= 0)),)  # create_graph: the select stays in the graph


class LeakyReLU(Node):
    """x where x > 0, else slope·x.  ``of_result``: backward reads its mask from the result, not from x (> 0 where x
    is, for a slope ≥ 0), as an in-place form must, whose x the result overwrites."""

    def forward(self, x, negative_slope=0.01, of_result=False):
        xp = backend.get_array_module(x)
        self.slope = x.dtype.type(negative_slope)  # keeps float32 float32
        out = xp.multiply(x, self.slope, out=xp.empty_like(x))  # slope·x, in a new array (a 0-d one too); for a
        # slope in (0, 1] max(x, slope·x) is the same thing (0·∞ would not be), faster than where(), into slope·x's
        out = xp.maximum(out, x, out=out) if 0 < negative_slope <= 1 else xp.where(x > 0, x, out)  # array
        self.save_for_backward(out if of_result else x)
        return out

    def backward(self, grad):  # d/dx = 1 if x > 0 else negative_slope:  slope + (1 − slope)·H(x)
        (x,) = self.saved_tensors
        if backend.is_array(x) and abs(self.slope) < backend.np.inf:  # first order (1 − slope: x's dtype, NumPy 1's)
            return (_leaky_relu_grad(backend.get_array_module(x), grad, x, self.slope, x.dtype.type(1 - self.slope)),)
        keep = value(x) > 0  # create_graph, or an ∞/NaN slope: a select, so the slope multiplies only where x ≤ 0
        return (Select.apply(grad, x, keep=keep) + Select.apply(grad * self.slope, x, keep=~keep),)


class Softplus(Node):
    def forward(self, x):
        self.save_for_backward(x)
        return stable_softplus(x)

    def backward(self, grad):  # d softplus/dx = σ(x)
        return (grad * Sigmoid.apply(*self.saved_tensors),)
