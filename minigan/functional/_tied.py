"""Two first gradients that PyTorch computes in one node, whose double backward refuses to differentiate both.

PyTorch's layer norm and batch norm (instance norm is its batch norm) give the input's and the bias's gradients from
one backward node.  Given a bias but no weight, that node's own backward (layer_norm_double_backward,
batchnorm_double_backward) reads the absent weight where both gradients are differentiated again in one backward
call, and refuses ("Expected a proper Tensor but got None ... 'other'", a RuntimeError); one of them alone is
differentiated as usual.  minigan computes the two gradients in separate steps, so under create_graph each is tied
to one shared token: differentiating a tied gradient hands the token a mark of its own (the input's [1, 0], the
bias's [0, 1]); the token's node runs after both, and refuses where it got both marks.  The values never change.
"""

from __future__ import annotations

from minigan.engine import backend
from minigan.engine.errors import GraphError
from minigan.engine.graph import Node, value
from minigan.surface.reading import _ReadBy, read_from

INPUT, BIAS = 0, 1  # (which mark a tied gradient hands the token)


def tie(g, token, part):
    """The gradient ``g`` (a Tensor, under create_graph) tied to ``token``: differentiating it marks ``part``."""
    return g if g is None or token is None else _Tied.apply(g, token, part=part)


def token(op, *reads):
    """A fresh token for the two gradients of one backward step of ``op``, read from ``reads`` (the Tensors PyTorch's
    node reads: its double backward runs when one of them is differentiated)."""
    reads = [t for t in reads if t is not None]
    return _Token.apply(*reads, op=op)


class _Token(Node):
    """Two zeros; its backward receives the marks of the tied gradients differentiated, and refuses both."""

    def forward(self, *reads, op):
        self.op = op
        return backend.get_array_module(reads[0]).zeros(2, dtype=reads[0].dtype)

    def backward(self, grad):  # (no derivative in what it reads)
        if (value(grad) != 0).all():
            raise GraphError(f"{self.op}: with a bias and no weight, the gradients of the input and of the bias cannot "
                             f"both be differentiated again in one backward (PyTorch's double backward reads the "
                             f"absent weight and refuses); pass a weight of ones, or differentiate one of them")
        return (None,) * len(self.needs_input_grad)


class _Tied(Node):
    """``g`` as it is (∂/∂g = 1); its backward also hands the token the mark ``part``."""

    def forward(self, g, token, part):
        self.part = part
        return g.copy()

    def backward(self, gg):
        mark = backend.get_array_module(value(gg)).zeros(2, dtype=value(gg).dtype)
        mark[self.part] = 1
        return gg, (mark if backend.is_array(gg) else gg._new(mark))


class Pair:
    """The token the input's and the bias's reads share within one backward: the bias's read, run first (it was
    recorded last), makes it; the input's read takes it (and clears it)."""

    def __init__(self, op):
        self.op, self.token = op, None


def read_tied(x, bias, reads, op):
    """``x`` and ``bias`` read by backward (``minigan.surface.reading``: each gradient read from ``reads``, with no
    derivative there), for a norm given a bias and no weight: under create_graph their gradients are tied."""
    pair = Pair(op)
    return _ReadTied.apply(x, reads=reads, pair=pair, part=INPUT), _ReadTied.apply(bias, reads=reads, pair=pair,
                                                                                    part=BIAS)


class _ReadTied(_ReadBy):
    def forward(self, x, reads, pair, part):
        self.pair, self.part = pair, part
        return super().forward(x, zero=False, reads=[t for t in reads if t is not None])

    def backward(self, grad):
        if backend.is_array(grad):
            return (grad,)
        g = read_from(grad, self.reads, zero_derivative=False)
        if self.part == BIAS:
            self.pair.token = token(self.pair.op, *self.reads, grad)
            return (tie(g, self.pair.token, BIAS),)
        found, self.pair.token = self.pair.token, None
        return (tie(g, found, INPUT),)
