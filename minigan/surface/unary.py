"""More elementwise math: trigonometric and hyperbolic functions, their inverses, log1p/expm1 and friends.

Only the PyTorch surface calls these (``x.sin()``, ``minigan.atan2``), so they live beside it, not in the engine:
they are built the same way as the engine's ops (``Node`` subclasses from ``minigan.engine.graph``).

Each op is forward and backward side by side, the derivative in a one-line comment.  A backward uses
only what arrays and Tensors share (operators, ``xp = namespace(grad)``, other ops' ``apply``), so the
same lines give the first-order gradient on arrays and a differentiable one under ``create_graph=True``
(see engine/graph.py).  ``sin``'s backward calls ``Cos.apply``, ``cos``'s calls ``Sin.apply``: the gradient
of a gradient of ``sin`` is then ``-sin``, to any order.

The rounding functions (floor, ceil, round, trunc) are steps: their derivative is 0 wherever it exists,
and, as in PyTorch, their result is still part of the graph (the gradient that flows back is zero).
"""

import math

from minigan.engine import backend
from minigan.engine.graph import Node, namespace, unbroadcast, value, zeros
from minigan.engine.ops.elementwise import Exp
from minigan.surface import parity
from minigan.surface.no_derivative import no_derivative


def _xp(a):
    return backend.get_array_module(a)


# ----------------------------------------------------------------------------- trigonometric
class Sin(Node):
    def forward(self, a):
        self.save_for_backward(a)
        return _xp(a).sin(a)

    def backward(self, grad):  # d sin a/da = cos a
        (a,) = self.saved_tensors
        return (grad * Cos.apply(a),)


class Cos(Node):
    def forward(self, a):
        self.save_for_backward(a)
        return _xp(a).cos(a)

    def backward(self, grad):  # d cos a/da = −sin a
        (a,) = self.saved_tensors
        return (-grad * Sin.apply(a),)


class Tan(Node):
    def forward(self, a):
        out = _xp(a).tan(a)
        self.save_for_backward(out)
        return out

    def backward(self, grad):  # d tan a/da = 1 + tan² a
        (out,) = self.saved_tensors
        return (grad * (1 + out * out),)


class Asin(Node):
    def forward(self, a):
        self.save_for_backward(a)
        return _xp(a).arcsin(a)

    def backward(self, grad):  # d asin a/da = 1/√(1 − a²)
        (a,) = self.saved_tensors
        return (grad / namespace(grad).sqrt(1 - a * a),)


class Acos(Node):
    def forward(self, a):
        self.save_for_backward(a)
        return _xp(a).arccos(a)

    def backward(self, grad):  # d acos a/da = −1/√(1 − a²)
        (a,) = self.saved_tensors
        return (-grad / namespace(grad).sqrt(1 - a * a),)


class Atan(Node):
    def forward(self, a):
        self.save_for_backward(a)
        return _xp(a).arctan(a)

    def backward(self, grad):  # d atan a/da = 1/(1 + a²)
        (a,) = self.saved_tensors
        return (grad / (1 + a * a),)


class Atan2(Node):
    """atan2(y, x): the angle of the point (x, y), in (−π, π]."""

    def forward(self, y, x):
        self.save_for_backward(y, x)
        return parity.pointwise_layout(_xp(y).arctan2(y, x), y, x)  # (laid out as PyTorch's)

    def backward(self, grad):  # d/dy = x/(x² + y²), d/dx = −y/(x² + y²); 0 at the origin, as PyTorch
        y, x = self.saved_tensors
        gy, gx = self.needs_input_grad
        xp, r2 = namespace(grad), x * x + y * y
        with backend.np.errstate(divide="ignore"):  # PyTorch's: 1/r², its ∞ at the origin filled with 0 (so the
            recip = xp.where(value(r2) == 0, 0, 1 / r2)  # second order there is 0·∞ = NaN, as PyTorch's)
        return (unbroadcast(grad * x * recip, y.shape) if gy else None,
                unbroadcast(-grad * y * recip, x.shape) if gx else None)


class Hypot(Node):
    """hypot(a, b) = √(a² + b²), without the overflow of squaring first."""

    def forward(self, a, b):
        out = parity.pointwise_layout(_xp(a).hypot(a, b), a, b)
        need = self.needs_input_grad
        if need:  # each input is saved only for its own gradient (as PyTorch's): changing the other later is fine
            self.save_for_backward(a if need[0] else None, b if need[1] else None, out)
            self.shapes = (a.shape, b.shape)
        return out

    def backward(self, grad):  # d/da = a/hypot, d/db = b/hypot
        a, b, out = self.saved_tensors
        (sa, sb), (ga, gb) = self.shapes, self.needs_input_grad
        return (unbroadcast(grad * a / out, sa) if ga else None,
                unbroadcast(grad * b / out, sb) if gb else None)


class XLogY(Node):
    """x·log y, and 0 where x = 0 (for any y but NaN): the 0·log 0 = 0 of an entropy (torch.xlogy)."""

    def forward(self, x, y, number_y=False):
        xp = _xp(x)
        self.save_for_backward(x, y)
        self.number_y = number_y  # (y was a number: PyTorch's XlogyBackward2, whose mask also holds a NaN y)
        zero = (x == 0) & ~xp.isnan(y)
        one = y.dtype.type(1)  # (in y's dtype: on NumPy 1.x where(zero, 1, y) of a 0-d y was a float64)
        return parity.pointwise_layout(xp.where(zero, 0, x * xp.log(xp.where(zero, one, y))), x, y)

    def backward(self, grad):  # d/dx = log y (0 where x = 0 and y ≤ 0), d/dy = x/y  (PyTorch's rules)
        x, y = self.saved_tensors
        gx, gy = self.needs_input_grad
        no_log = ~(value(y) > 0) if self.number_y else value(y) <= 0  # (a number y: x = 0 and not y > 0, NaN too)
        xp, flat = namespace(grad), (value(x) == 0) & no_log  # a constant mask: log y is −∞ or NaN there
        # the gradient times log y as PyTorch's xlogy(grad, y): 0 where grad is 0, even where log y is ±∞ or NaN
        dx = unbroadcast(xp.where(flat, 0, XLogY.apply(grad, xp.where(flat, 1, y))), x.shape) if gx else None
        return dx, (unbroadcast(grad * x / y, y.shape) if gy else None)


class LogAddExp(Node):
    """log(eᵃ + eᵇ), computed as hi + log(1 + e^(lo − hi)) with hi the larger (no overflow); a itself where a = b = ±∞
    (where ∞ − ∞ would be NaN)."""

    def forward(self, a, b):
        xp = _xp(a)
        self.save_for_backward(a, b)
        hi, lo = xp.maximum(a, b), xp.minimum(a, b)
        with backend.np.errstate(invalid="ignore"):  # (∞ − ∞: replaced by a)
            return parity.pointwise_layout(xp.where((a == b) & xp.isinf(a), a, hi + xp.log1p(xp.exp(lo - hi))), a, b)

    def backward(self, grad):  # d/da = 1/(1 + e^(b − a)), d/db = 1/(1 + e^(a − b))  (PyTorch's formula, to any order)
        a, b = self.saved_tensors
        ga, gb = self.needs_input_grad
        with backend.np.errstate(invalid="ignore", over="ignore"):  # (an infinite input: NaN or 0, as PyTorch's)
            da = unbroadcast(grad / (1 + Exp.apply(b - a)), a.shape) if ga else None
            return da, (unbroadcast(grad / (1 + Exp.apply(a - b)), b.shape) if gb else None)


class Addcdiv(Node):
    """x + value·t1/t2 (the three in one dtype), differentiated by PyTorch's formula, whose second order where t2 is
    infinite is NaN (composed of a division, it would be 0)."""

    def forward(self, x, t1, t2, value=1.0):
        g2 = (self.needs_input_grad or (False, False, False))[2]  # (what PyTorch's node saves: t1 for t2's
        self.save_for_backward(t1 if g2 else None, t2)  # gradient only, t2 always; the other may change)
        self.value, self.shapes = value, (x.shape, t1.shape, t2.shape)
        return parity.pointwise_layout(x + t1 / t2 * value, x, t1, t2)

    def backward(self, grad):  # d/dx = 1, d/dt1 = value/t2, d/dt2 = −value·t1/(t2·t2)
        t1, t2 = self.saved_tensors
        gx, g1, g2 = self.needs_input_grad
        with backend.np.errstate(invalid="ignore", over="ignore"):  # (t2·t2 overflowing, or ∞·0: as PyTorch's)
            return (unbroadcast(grad, self.shapes[0]) if gx else None,
                    unbroadcast(grad * (self.value / t2), self.shapes[1]) if g1 else None,
                    unbroadcast(-grad * (self.value * t1 / (t2 * t2)), self.shapes[2]) if g2 else None)


class Addcmul(Node):
    """x + value·t1·t2 (the three in one dtype), differentiated by PyTorch's formula: each factor's gradient is the
    result's gradient times the other factor times value, summed to the factor's shape afterwards.  A second order
    runs through t·value, so over a result empty by broadcasting it is 0·value: NaN where value is ±∞, as PyTorch's."""

    def forward(self, x, t1, t2, value=1):
        g1, g2 = (self.needs_input_grad or (False, False, False))[1:]  # (what PyTorch's node saves: each factor for
        self.save_for_backward(t2 if g1 else None, t1 if g2 else None)  # the other's gradient only)
        value = _xp(t1).asarray(value).astype(t1.dtype).item()  # (read in the tensors' dtype: -1 is 255 in uint8)
        self.value, self.shapes = value, (x.shape, t1.shape, t2.shape)
        with backend.np.errstate(invalid="ignore", over="ignore"):  # (∞·0 = NaN, as PyTorch's)
            return parity.pointwise_layout(x + value * t1 * t2, x, t1, t2)

    def backward(self, grad):  # d/dx = 1, d/dt1 = value·t2, d/dt2 = value·t1
        t2, t1 = self.saved_tensors
        gx, g1, g2 = self.needs_input_grad
        with backend.np.errstate(invalid="ignore", over="ignore"):
            return (unbroadcast(grad, self.shapes[0]) if gx else None,
                    unbroadcast(grad * (t2 * self.value), self.shapes[1]) if g1 else None,
                    unbroadcast(grad * (t1 * self.value), self.shapes[2]) if g2 else None)


class RoundedDiv(Node):
    """a / b rounded down (``mode="floor"``, Python's //) or toward 0 (``"trunc"``); integers stay integers. A
    step: its derivative is 0 wherever it exists, and it stays in the graph (PyTorch's div with a rounding mode)."""

    def forward(self, a, b, mode="floor"):
        xp = _xp(a)
        self.shapes = (a.shape, b.shape)
        if mode == "floor":  # (∞ // 1 is NaN, as in Python and PyTorch, where ⌊∞/1⌋ would be ∞)
            return parity.pointwise_layout(xp.floor_divide(a, b), a, b)
        q = xp.trunc(a / b)
        return parity.pointwise_layout(q.astype(a.dtype) if a.dtype.kind in "iu" else q, a, b)

    def backward(self, grad):  # d/da = d/db = 0 (a step)
        sa, sb = self.shapes
        return unbroadcast(zeros(grad), sa), unbroadcast(zeros(grad), sb)


class Fmod(Node):
    """a − b·trunc(a/b), the sign of a (C's fmod, torch.fmod), computed exactly as NumPy's fmod.  b's gradient reads
    the quotient, RoundedDiv of the saved a and b when backward runs (a step: derivative 0), as PyTorch's
    a.div(b, rounding_mode=...): what a write through .data left there, and under create_graph a gradient that
    requires grad when a or b does."""

    rounding = "trunc"

    def forward(self, a, b):
        self.shapes = (a.shape, b.shape)
        if self.needs_input_grad and self.needs_input_grad[1]:
            self.save_for_backward(a, b)  # (as PyTorch's: its formula for b reads both)
        return parity.pointwise_layout(self.remainder(_xp(a), a, b), a, b)

    def remainder(self, xp, a, b):
        return xp.fmod(a, b)

    def backward(self, grad):  # d/da = 1, d/db = −trunc(a/b)
        (sa, sb), (ga, gb) = self.shapes, self.needs_input_grad
        quotient = RoundedDiv.apply(*self.saved_tensors, mode=self.rounding) if gb else None
        return unbroadcast(grad, sa) if ga else None, unbroadcast(-grad * quotient, sb) if gb else None


class Remainder(Fmod):
    """a − b·⌊a/b⌋, the sign of b (Python's %, torch.remainder): Fmod with the quotient rounded down (Python's //,
    PyTorch's floor division: NaN for ∞ // 1, not ∞)."""

    rounding = "floor"

    def remainder(self, xp, a, b):
        if xp.result_type(a, b).kind != "f":  # (integers: Python's %, as PyTorch's integer kernel)
            return xp.remainder(a, b)
        mod = xp.fmod(a, b)  # PyTorch's float kernel: fmod, then b added where the two signs differ, so that an exact
        return xp.where((mod != 0) & ((b < 0) != (mod < 0)), mod + b, mod)  # multiple keeps a's zero: −3 % 1.5 is −0.0


class Lerp(Node):
    """input + weight·(end − input) where |weight| < 0.5, else end − (end − input)·(1 − weight), for a tensor weight:
    PyTorch's two forms in one kernel.  Its derivatives are PyTorch's (LerpBackward1), read from the saved operands
    when backward runs, as its node reads them: the weight, and the ends for the weight's gradient only."""

    def forward(self, x, end, weight):
        xp, self.shapes = _xp(x), (x.shape, end.shape, weight.shape)
        if self.needs_input_grad:  # (PyTorch's node saves the ends only when the weight's gradient is needed)
            self.save_for_backward(*((x, end) if self.needs_input_grad[2] else (None, None)), weight)
        with backend.np.errstate(invalid="ignore", over="ignore"):  # (the form not chosen may be ∞ − ∞)
            diff = end - x
            out = xp.where(xp.abs(weight) < 0.5, x + weight * diff, end - diff * (1 - weight))
        return parity.pointwise_layout(out, x, end, weight)

    def backward(self, grad):  # d/dinput = 1 − weight, d/dend = weight, d/dweight = end − input
        (x, end, w), (gx, ge, gw) = self.saved_tensors, self.needs_input_grad
        with backend.np.errstate(invalid="ignore", over="ignore"):  # (∞ − ∞, or an overflowing end − input)
            return (unbroadcast(grad * (1 - w), self.shapes[0]) if gx else None,
                    unbroadcast(grad * w, self.shapes[1]) if ge else None,
                    unbroadcast(grad * (end - x), self.shapes[2]) if gw else None)


class NanToNum(Node):
    """x with NaN, +∞ and −∞ replaced by the numbers given (each where x had it: a replacement that is itself ±∞ or
    NaN is not replaced again).  Its backward is PyTorch's, grad·isfinite(x): a product, so an ∞ or NaN gradient
    where x was not finite gives NaN, not 0."""

    def forward(self, x, nan, posinf, neginf):
        self.save_for_backward(x)
        xp = _xp(x)
        out = xp.where(x != x, x.dtype.type(nan), x)
        return xp.where(x == math.inf, x.dtype.type(posinf), xp.where(x == -math.inf, x.dtype.type(neginf), out))

    def backward(self, grad):  # d/dx = 1 where x is finite, else 0 (a product)
        (x,) = self.saved_tensors
        return (grad * _xp(value(x)).isfinite(value(x)).astype(value(x).dtype),)


class Logit(Node):
    """log(p / (1 − p)), the sigmoid's inverse: ±∞ at 1 and 0, NaN outside [0, 1]; with ``eps``, of p clamped to
    [eps, 1 − eps] (one op, as PyTorch's: its derivative is read at p itself, 0 where the clamp holds p)."""

    def forward(self, p, eps=None):
        self.save_for_backward(p)
        self.eps = eps
        xp = _xp(p)  # (eps > 0.5, lo > hi: PyTorch's kernel tests lo first, p < lo gives lo; NumPy's clip gives hi)
        q = p if eps is None else xp.where(p < eps, eps, xp.where(p > 1 - eps, 1 - eps, p)).astype(p.dtype)
        with backend.np.errstate(divide="ignore", invalid="ignore"):  # (±∞ at 1 and 0, NaN outside [0, 1])
            return _xp(p).log(q / (1 - q))

    def backward(self, grad):  # d/dp = 1/(p(1 − p)) on [0, 1] (on [eps, 1 − eps]), NaN (0) elsewhere, as PyTorch
        (p,) = self.saved_tensors
        xp, v, eps = namespace(grad), value(p), self.eps
        plain_nan = isinstance(grad, backend.PLAIN_TYPES) and eps is not None and eps < 0  # (its kernel: no eps)
        lo, hi, outside = (0, 1, math.nan) if eps is None or plain_nan else (eps, 1 - eps, 0)
        # PyTorch's where(lo <= p <= hi, grad/(p(1 − p)), outside): its create_graph formula, differentiated through
        # both branches (0·∞ = NaN at p = ±∞ in the second order), and its first-order kernel's vector loop (a NaN p
        # is outside: 0 with eps; its scalar tail lets NaN through, docs/pytorch.md)
        with backend.np.errstate(divide="ignore", invalid="ignore"):
            return (xp.where((v >= lo) & (v <= hi), grad / (p * (1 - p)), outside),)


class Hardsigmoid(Node):
    """relu6(x + 3)/6: 0 below −3, 1 above 3, linear between (NaN stays NaN).  Its backward is PyTorch's
    hardsigmoid_backward, which has no derivative of its own: under create_graph the gradient it gives is recorded
    as a NoDerivative node, so a second order through hardsigmoid refuses as PyTorch's does."""

    def forward(self, x):
        self.save_for_backward(x)
        xp = _xp(x)
        return xp.minimum(xp.maximum(x + 3, 0), 6) / 6

    def backward(self, grad):  # d/dx = 1/6 on (−3, 3), else 0 (NaN too); no second derivative (PyTorch has none)
        (x,) = self.saved_tensors
        g, v = value(grad), value(x)
        sixth = g.dtype.type(_xp(g).float32(1 / 6))  # (PyTorch's kernel's constant 1.0f / 6.0f, in every dtype)
        dx = _xp(g).where((v > -3) & (v < 3), g * sixth, g.dtype.type(0))
        return (dx if grad is g else no_derivative(dx, "hardsigmoid_backward", grad, x),)


# ----------------------------------------------------------------------------- hyperbolic
class Sinh(Node):
    def forward(self, a):
        self.save_for_backward(a)
        return _xp(a).sinh(a)

    def backward(self, grad):  # d sinh a/da = cosh a
        (a,) = self.saved_tensors
        return (grad * Cosh.apply(a),)


class Cosh(Node):
    def forward(self, a):
        self.save_for_backward(a)
        return _xp(a).cosh(a)

    def backward(self, grad):  # d cosh a/da = sinh a
        (a,) = self.saved_tensors
        return (grad * Sinh.apply(a),)


class Asinh(Node):
    def forward(self, a):
        self.save_for_backward(a)
        return _xp(a).arcsinh(a)

    def backward(self, grad):  # d asinh a/da = 1/√(a² + 1)
        (a,) = self.saved_tensors
        return (grad / namespace(grad).sqrt(a * a + 1),)


class Acosh(Node):
    def forward(self, a):
        self.save_for_backward(a)
        return _xp(a).arccosh(a)

    def backward(self, grad):  # d acosh a/da = 1/√(a² − 1)
        (a,) = self.saved_tensors
        return (grad / namespace(grad).sqrt(a * a - 1),)


class Atanh(Node):
    def forward(self, a):
        self.save_for_backward(a)
        return _xp(a).arctanh(a)

    def backward(self, grad):  # d atanh a/da = 1/(1 − a²)
        (a,) = self.saved_tensors
        return (grad / (1 - a * a),)


# ----------------------------------------------------------------------------- exponentials and logarithms
class Log1p(Node):
    """log(1 + a), exact for tiny a (where 1 + a would round to 1)."""

    def forward(self, a):
        self.save_for_backward(a)
        return _xp(a).log1p(a)

    def backward(self, grad):  # d log(1 + a)/da = 1/(1 + a)
        (a,) = self.saved_tensors
        return (grad / (1 + a),)


class Expm1(Node):
    """eᵃ − 1, exact for tiny a."""

    def forward(self, a):
        out = _xp(a).expm1(a)
        self.save_for_backward(out)
        return out

    def backward(self, grad):  # d(eᵃ − 1)/da = eᵃ = out + 1
        (out,) = self.saved_tensors
        return (grad * (out + 1),)


class Exp2(Node):
    def forward(self, a):
        out = _xp(a).exp2(a)
        self.save_for_backward(out)
        return out

    def backward(self, grad):  # d 2ᵃ/da = 2ᵃ · ln 2
        (out,) = self.saved_tensors
        return (grad * out * math.log(2.0),)


class Log2(Node):
    def forward(self, a):
        self.save_for_backward(a)
        return _xp(a).log2(a)

    def backward(self, grad):  # d log₂ a/da = 1/(a · ln 2)
        (a,) = self.saved_tensors
        return (grad / (a * math.log(2.0)),)


class Log10(Node):
    def forward(self, a):
        self.save_for_backward(a)
        return _xp(a).log10(a)

    def backward(self, grad):  # d log₁₀ a/da = 1/(a · ln 10)
        (a,) = self.saved_tensors
        return (grad / (a * math.log(10.0)),)


# ----------------------------------------------------------------------------- the error function
# erf a = (2/√π) ∫₀ᵃ e^(−t²) dt.  NumPy has no erf, so it is computed here from two classic expansions
# (Abramowitz & Stegun 7.1.6 and 7.1.14), each where it converges fast; float64 values agree with math.erf to
# about 1e-15 (erfc to about 1e-13 just below |a| = 2, where erfc = 1 − erf loses digits).
def _erf_series(x):  # erf x = (2/√π) e^(−x²) Σₙ (2x²)ⁿ x / (1·3·…·(2n+1)): positive terms, so no cancellation
    two_x2, term, total = 2 * x * x, x, x.copy()  # total is summed in place
    for n in range(1, 40 if x.dtype.itemsize == 8 else 20):  # for x < 2 the terms fall below 1e-16 (1e-8) of the sum
        term = term * two_x2 * (1 / (2 * n + 1))
        total += term
    return (2 / math.sqrt(math.pi)) * _xp(x).exp(-x * x) * total


def _erfc_fraction(x):  # erfc x = e^(−x²)/√π · 1/(x + ½/(x + 1/(x + (3/2)/(x + 2/(x + …))))), 60 levels for x ≥ 2
    f = x
    for k in range(60, 0, -1):  # evaluated from the bottom up
        f = x + (k / 2) / f
    return _xp(x).exp(-x * x) / (math.sqrt(math.pi) * f)


def erf_and_erfc(a):
    """(erf a, erfc a) elementwise, each from the expansion that is accurate where |a| lies."""
    xp = _xp(a)
    x = xp.abs(a)
    erf, erfc = xp.empty_like(x), xp.empty_like(x)
    near = x < 2  # NaN goes to the fraction, which keeps it
    erf[near] = _erf_series(x[near])
    erfc[near] = 1 - erf[near]
    erfc[~near] = _erfc_fraction(x[~near])
    erf[~near] = 1 - erfc[~near]
    negative = xp.signbit(a)  # erf is odd (erf −0 is −0); erfc(−x) = 2 − erfc x
    return xp.where(negative, -erf, erf), xp.where(negative, 2 - erfc, erfc)


class Erf(Node):
    def forward(self, a):
        self.save_for_backward(a)
        return erf_and_erfc(a)[0]

    def backward(self, grad):  # d erf a/da = (2/√π) e^(−a²)
        (a,) = self.saved_tensors
        return (grad * (2 / math.sqrt(math.pi)) * namespace(grad).exp(-a * a),)


class Erfc(Node):
    def forward(self, a):
        self.save_for_backward(a)
        return erf_and_erfc(a)[1]

    def backward(self, grad):  # d erfc a/da = −(2/√π) e^(−a²)
        (a,) = self.saved_tensors
        return (-grad * (2 / math.sqrt(math.pi)) * namespace(grad).exp(-a * a),)


class Erfinv(Node):
    """The y with erf y = a, on [−1, 1]: Winitzki's closed-form guess (2008, error ~2e-3), then Newton steps on
    erf (on erfc where |a| > ½, so that 1 − |a| keeps its digits); each step squares the error."""

    def forward(self, a):
        xp = _xp(a)
        p = xp.abs(a)
        with backend.np.errstate(divide="ignore", invalid="ignore"):  # |a| = 1 → ±∞, |a| > 1 → NaN
            log = xp.log1p(-p * p)  # ln(1 − a²)
            c = 2 / (math.pi * 0.147) + log / 2
            y = xp.sqrt(xp.sqrt(c * c - log / 0.147) - c)
            tail = p > 0.5
            for _ in range(4):
                erf, erfc = erf_and_erfc(y)
                miss = xp.where(tail, (1 - p) - erfc, erf - p)  # erf y − p, written as 1 − p − erfc y in the tail
                y = xp.where(p < 1, y - miss / ((2 / math.sqrt(math.pi)) * xp.exp(-y * y)), y)
        self.save_for_backward(a)  # (a, not the result, as PyTorch's: a change to the result in place is allowed)
        return xp.copysign(y, a)  # (erfinv is odd: erfinv −0 is −0, which sign(a) · y made +0)

    def backward(self, grad):  # d erfinv a/da = (√π/2) e^(erfinv(a)²)
        (a,) = self.saved_tensors
        out = Erfinv.apply(a)
        return (grad * (math.sqrt(math.pi) / 2) * namespace(grad).exp(out * out),)


class Reciprocal(Node):
    def forward(self, a):
        out = 1 / a
        self.save_for_backward(out)
        return out

    def backward(self, grad):  # d(1/a)/da = −1/a² = −out²
        (out,) = self.saved_tensors
        return (-grad * (out * out),)  # (PyTorch's reciprocal backward, which rounds otherwise than (−grad·out)·out)


class Rsqrt(Node):
    def forward(self, a):
        out = 1 / _xp(a).sqrt(a)
        self.save_for_backward(out)
        return out

    def backward(self, grad):  # d a^(−½)/da = −½ a^(−3/2) = −½ out³
        (out,) = self.saved_tensors
        return (-0.5 * grad * out * out * out,)


# ----------------------------------------------------------------------------- steps (zero derivative)
class Floor(Node):
    def forward(self, a):
        return _xp(a).floor(a)

    def backward(self, grad):  # d⌊a⌋/da = 0 (where it exists)
        return (zeros(grad),)


class Ceil(Node):
    def forward(self, a):
        return _xp(a).ceil(a)

    def backward(self, grad):  # d⌈a⌉/da = 0
        return (zeros(grad),)


class Round(Node):
    """Round half to even, as PyTorch (and NumPy) do; ``decimals`` scales by 10^decimals first."""

    def forward(self, a, decimals=0):
        return parity.pointwise_layout(_xp(a).round(a, decimals), a)  # (laid out as PyTorch's: NumPy's scaling
        # by 10^decimals gives a row-major result)

    def backward(self, grad):  # d round(a)/da = 0
        return (zeros(grad),)


class Trunc(Node):
    def forward(self, a):
        return _xp(a).trunc(a)

    def backward(self, grad):  # d trunc(a)/da = 0
        return (zeros(grad),)


class Frac(Node):
    """a − trunc(a): the fractional part, with a's sign."""

    def forward(self, a):
        return a - _xp(a).trunc(a)

    def backward(self, grad):  # d frac(a)/da = 1
        return (grad,)
