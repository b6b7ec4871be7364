"""NumPy-named functions on Tensors: what ``xp`` is inside a backward run under ``create_graph=True``.

A backward writes ``xp = namespace(grad)`` and then ``xp.exp(x)``, ``xp.where(mask, a, 1)``...;
on arrays ``xp`` is NumPy (or CuPy) and those are NumPy's functions; on Tensors it is this
module, whose functions have the same names and arguments but are recorded ops, so the
gradient of a gradient can flow through them.  Only what a backward needs is here.
"""

from minigan.engine import backend
from minigan.engine.ops import elementwise as E
from minigan.engine.ops import shape as S


def exp(x):
    return E.Exp.apply(x)


def log(x):
    return E.Log.apply(x)


def sqrt(x):
    return E.Sqrt.apply(x)


def clip(x, lo, hi):
    return E.Clamp.apply(x, lo=lo, hi=hi)


def broadcast_to(x, shape):
    return x if x.array.shape == tuple(shape) else S.BroadcastTo.apply(x, shape=tuple(shape))


def where(cond, a, b):
    """``a`` where ``cond`` (a constant: a bool array or tensor), else ``b``; a or b may be a number."""
    like = a if not isinstance(a, (int, float)) else b
    a, b = (like._new(backend.get_array_module(like.array).asarray(v, dtype=like.dtype)) if isinstance(v, (int, float))
            else v for v in (a, b))
    plain = isinstance(cond, backend.PLAIN_TYPES)  # an array mask (from the host too) goes to a's device
    return E.Where.apply(a, b, cond=backend.get_array_module(like.array).asarray(cond) if plain else cond.array)
