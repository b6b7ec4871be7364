"""Elementwise arithmetic: forward and backward side by side.

Binary ops broadcast like NumPy; ``unbroadcast`` sums each gradient back to its input's shape.
``needs_input_grad[i]`` is False for inputs that need no gradient (constants, a frozen
network), and then that gradient is not computed at all.  Every backward works on arrays
(first order) and on Tensors (``create_graph=True``): see minigan/engine/graph.py.
"""

from minigan.engine import backend
from minigan.engine.graph import KERNELS, Node, namespace, select, unbroadcast, value, zeros


class Add(Node):
    def forward(self, a, b):
        return a + b

    def backward(self, grad):  # d(a+b)/da = 1, d(a+b)/db = 1
        (a, b), (need_a, need_b) = self.inputs, self.needs_input_grad  # (the inputs, for their shapes)
        return (unbroadcast(grad, value(a).shape) if need_a else None,
                unbroadcast(grad, value(b).shape) if need_b else None)


class Sub(Node):
    def forward(self, a, b):
        return a - b

    def backward(self, grad):  # d(a-b)/da = 1, d(a-b)/db = -1
        (a, b), (need_a, need_b) = self.inputs, self.needs_input_grad  # (the inputs, for their shapes)
        return (unbroadcast(grad, value(a).shape) if need_a else None,
                unbroadcast(-grad, value(b).shape) if need_b else None)


class Mul(Node):
    def forward(self, a, b):
        need_a, need_b = self.needs_input_grad or (False, False)
        self.save_for_backward(a if need_b else None, b if need_a else None)  # only what each derivative needs
        return a * b

    def backward(self, grad):  # d(ab)/da = b, d(ab)/db = a
        a, b = self.saved_tensors
        (x, y), (need_a, need_b) = self.inputs, self.needs_input_grad  # (x, y: the inputs, for their shapes)
        return (unbroadcast(grad * b, value(x).shape) if need_a else None,
                unbroadcast(grad * a, value(y).shape) if need_b else None)


class Div(Node):
    def forward(self, a, b):
        need_a, need_b = self.needs_input_grad or (False, False)
        self.save_for_backward(a if need_b else None, b)  # only what each derivative needs
        return a / b

    def backward(self, grad):  # d(a/b)/da = 1/b, d(a/b)/db = -a/b²
        a, b = self.saved_tensors
        (x, y), (need_a, need_b) = self.inputs, self.needs_input_grad  # (x, y: the inputs, for their shapes)
        db = unbroadcast(-grad * ((a / b) / b), value(y).shape) if need_b else None  # (a/b first: b² may overflow;
        return unbroadcast(grad / b, value(x).shape) if need_a else None, db  # b's first: its nodes)


class Neg(Node):
    def forward(self, a):
        return -a

    def backward(self, grad):  # d(-a)/da = -1
        return (-grad,)


class Pow(Node):
    """a ** b for a tensor (or constant) exponent b."""

    @staticmethod
    def power(a, b, number):  # a ** b (number: b is a number, not a tensor's values; a library's kernels may round
        return a**b  # the two otherwise: its row of KERNELS)

    @staticmethod
    def zero_da(a, b):  # where d/da is 0, not b·a^(b−1) = 0·∞: a = b = 0, as a^0 = 1 is flat in a (None: nowhere)
        return (a == 0) & (b == 0) if (b == 0).any() else None

    @staticmethod
    def zero_db(a, b):  # where d/db is 0, not a^b·log a = 0·(−∞): a = 0 < b, as 0^b = 0 is flat in b (None: nowhere)
        return (a == 0) & (b > 0) if (a == 0).any() else None

    def kernels(self, b, number):
        """These three functions, or a library's of the same names (its row of KERNELS) for the exponents where its
        ``rounds(b, number)`` says it computes a ** b otherwise."""
        row = KERNELS.get(type(self))
        return row if row is not None and row.rounds(b, number) else self

    def forward(self, a, b):
        number = isinstance(b, backend.np.generic)  # (a ** 2.0: the door made the number a NumPy scalar)
        out = self.kernels(b, number).power(a, b, number) if a.dtype != bool else a | ~b  # (bools: x ** True is x,
        # x ** False all True)
        self.save_for_backward(a, b, None if number else out)  # (out is read by d/db, asked of a tensor exponent)
        return out

    def backward(self, grad):  # d(a^b)/da = b·a^(b−1), d(a^b)/db = a^b·log a
        (a, b, out), (need_a, need_b) = self.saved_tensors, self.needs_input_grad
        number = isinstance(self.inputs[1], backend.np.generic)
        xp, da, db, kernels = namespace(grad), None, None, self.kernels(self.inputs[1], number)  # (these, or a row's)
        if need_a:
            e = self.inputs[1] if number else b  # (a number stays one at b − 1, where a 0-d array less 1 would
            # look like one: a library's kernels round a number and a tensor exponent differently)
            da, zero = grad * (b * kernels.power(a, e - 1, number)), kernels.zero_da(value(a), value(b))
            da = unbroadcast(da if zero is None else select(~zero, da), a.shape)  # (selected: da is 0·∞ there)
        if need_b:  # (NaN for a < 0, where log a is not real)
            db, zero = out * xp.log(a), kernels.zero_db(value(a), value(b))
            db = unbroadcast(grad * (db if zero is None else xp.where(zero, 0, db)), b.shape)
        return da, db


class Exp(Node):
    def forward(self, a):
        out = backend.get_array_module(a).exp(a)
        self.save_for_backward(out)
        return out

    def backward(self, grad):  # d(e^a)/da = e^a
        (out,) = self.saved_tensors
        return (grad * out,)


class Log(Node):
    def forward(self, a):
        self.save_for_backward(a)
        return backend.get_array_module(a).log(a)

    def backward(self, grad):  # d(log a)/da = 1/a
        (a,) = self.saved_tensors
        return (grad / a,)


class Sign(Node):
    """−1, 0 or 1, and 0 at NaN (where NumPy gives NaN). Its derivative is 0 wherever it exists, and it stays in the
    graph: a second derivative through |a| is 0, not "does not require grad"."""

    def forward(self, a):
        xp = backend.get_array_module(a)
        return xp.where(xp.isnan(a), 0, xp.sign(a))

    def backward(self, grad):  # d sign(a)/da = 0 (a ≠ 0)
        return (zeros(grad),)


class Abs(Node):
    def forward(self, a):
        self.save_for_backward(a)
        return abs(a)

    def backward(self, grad):  # d|a|/da = sign(a)  (0 at a = 0: a subgradient)
        (a,) = self.saved_tensors
        return (grad * Sign.apply(a),)


class Sqrt(Node):
    """√a.  ``flat_at_zero=True`` takes the derivative at a = 0 as 0, not ∞: std's rule, where a
    constant sample (std 0) gets gradient 0, not NaN (0·∞ in the variance's backward)."""

    def forward(self, a, flat_at_zero=False):
        out = backend.get_array_module(a).sqrt(a)
        self.save_for_backward(out)
        self.zero = (out == 0) if flat_at_zero else None  # a constant mask
        return out

    def backward(self, grad):  # d√a/da = 1/(2√a)  (0 at a = 0 with flat_at_zero)
        (out,) = self.saved_tensors
        if self.zero is None:
            return (grad / (2 * out),)
        xp = namespace(grad)
        return (xp.where(self.zero, 0, grad / (2 * xp.where(self.zero, 1, out))),)


def clip(a, lo=None, hi=None, out=None):
    """Array ``a`` clipped to [lo, hi] (into ``out``, ``a`` itself for clamp_), by NumPy 2's rules."""
    xp = backend.get_array_module(a)
    if lo != lo or hi != hi:  # a NaN bound (NaN is the one number unequal to itself) gives NaN everywhere, where
        # NumPy 1.x's clip ignored it (with a DeprecationWarning)
        out = xp.empty_like(a) if out is None else out
        out[...] = xp.nan
        return out
    out = xp.clip(a, lo, hi, out=out)  # a result of another kind stays so (a bool by an int: int64, an int by a
    return out if out.dtype.kind != a.dtype.kind else xp.asarray(out, dtype=a.dtype)  # float: clamp_ refuses it);
    # one of a's own kind keeps a's dtype (NumPy 1 promoted a 0-d one by the bound's value)


class Clamp(Node):
    """Clip values to [lo, hi] (either bound may be None)."""

    def forward(self, a, lo=None, hi=None):
        self.save_for_backward(a)
        self.lo, self.hi = lo, hi
        return clip(a, lo, hi)

    def backward(self, grad):  # d clip(a)/da = 1 inside [lo, hi], 0 where clipped
        a = value(self.saved_tensors[0])
        inside = (True if self.lo is None else a >= self.lo) & (True if self.hi is None else a <= self.hi)
        return (select(inside, grad),)


def fill_into(a, b):
    """Write ``b`` (broadcast) into array ``a``."""
    a[...] = b


class Fill(Node):
    """The values of b, broadcast to a's shape (``a.fill_(b)``, ``a.copy_(b)``): a's old values are gone."""

    def forward(self, a, b):
        self.shape_b, xp = b.shape, backend.get_array_module(a)
        return xp.broadcast_to(xp.asarray(b), a.shape).astype(a.dtype)  # (b may be a number: CuPy's wants an array)

    def backward(self, grad):  # d/da = 0 (a zero gradient), d/db = 1 (summed over the broadcast)
        need_a, need_b = self.needs_input_grad
        return zeros(grad) if need_a else None, unbroadcast(grad, self.shape_b) if need_b else None


class Clone(Node):
    """A copy of a, with its own memory, laid out as memory_format=torch.preserve_format lays it: in a's
    order of strides (NumPy's order "K": a permuted input gives a permuted copy), row-major where a overlaps itself (a
    broadcast's zero strides, which "K" would keep as the innermost axes)."""

    def forward(self, a, order=None):  # (order="C": contiguous()'s row-major copy)
        return a.copy(order=order or ("C" if 0 in a.strides else "K"))

    def backward(self, grad):  # d copy(a)/da = 1
        return (grad,)


class Cast(Node):
    """Change dtype; the gradient is cast back to the input's dtype."""

    def forward(self, a, dtype):
        self.in_dtype = a.dtype
        return a.astype(dtype, order="C" if 0 in a.strides else "K", copy=False)  # (the layout of Clone's copy)

    def backward(self, grad):  # d cast(a)/da = 1
        return (grad.astype(self.in_dtype),)


class Maximum(Node):
    """max(a, b) elementwise, NaN where either is (torch.maximum). The gradient goes to the input that is the
    result, half to each where a == b (max(a, b) = (a + b + |a − b|)/2, and |·|'s slope at 0 is Abs's 0), and all
    of it to both where the result is NaN (neither input is the smaller: the NaN reaches both)."""

    largest = True

    def forward(self, a, b):
        xp = backend.get_array_module(a, b)
        self.save_for_backward(a, b)  # (both: the masks are made from them in backward)
        return xp.maximum(a, b) if self.largest else xp.minimum(a, b)

    def backward(self, grad):  # d/da = 1 where a is the result, ½ at a tie, 0 where b is; d/db likewise
        (a, b), (need_a, need_b) = [value(t) for t in self.saved_tensors], self.needs_input_grad
        a_loses, b_loses = (a < b, b < a) if self.largest else (a > b, b > a)  # where each input loses: constant masks
        g = namespace(grad).where(a == b, grad * 0.5, grad)
        return (unbroadcast(select(~a_loses, g), a.shape) if need_a else None,  # (selects: ∞ where a loses gives 0)
                unbroadcast(select(~b_loses, g), b.shape) if need_b else None)


class Minimum(Maximum):
    """min(a, b) elementwise (torch.minimum): Maximum with the order reversed."""

    largest = False


class Where(Node):
    """a where ``cond`` holds, else b; ``cond`` is a constant bool array."""

    def forward(self, a, b, cond):
        self.cond, self.shapes = cond, (a.shape, b.shape)
        return backend.get_array_module(a, b, cond).where(cond, a, b)

    def backward(self, grad):  # d/da = 1 where cond, d/db = 1 elsewhere (selects: an ∞ gradient elsewhere gives 0)
        (sa, sb), (need_a, need_b) = self.shapes, self.needs_input_grad
        return (unbroadcast(select(self.cond, grad), sa) if need_a else None,
                unbroadcast(select(~self.cond, grad), sb) if need_b else None)
