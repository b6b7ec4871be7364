"""kl_divergence(p, q) = E_p[log p(x) − log q(x)], in closed form for the pairs registered here (PyTorch's pairs
among minigan's distributions), and ``register_kl`` to add a pair.

The function for a pair of types is the registered one whose types are the nearest ancestors of p's and q's (by
their method resolution order, p's first), so a pair registered for base classes serves their subclasses.
"""

from __future__ import annotations

import math
import warnings

from minigan import toplevel as T
from minigan.distributions.normal import Normal

__all__ = ["kl_divergence", "register_kl"]

_KL_REGISTRY: dict = {}  # (type of p, type of q) -> fn(p, q)
_KL_MEMOIZE: dict = {}  # the same, for the pairs of types asked for so far


def register_kl(type_p, type_q):
    """Decorator: ``@register_kl(Normal, Normal) def kl(p, q): ...`` makes ``kl_divergence`` use ``kl``."""
    if not isinstance(type_p, type) or not isinstance(type_q, type):
        raise TypeError(f"Expected type_p and type_q to be subclasses of Distribution, got {type_p} and {type_q}")

    def decorator(fun):
        _KL_REGISTRY[type_p, type_q] = fun
        _KL_MEMOIZE.clear()
        return fun

    return decorator


def _dispatch_kl(type_p, type_q):
    """The registered function for the nearest pair of ancestors, p's ancestry first (and a warning when q's
    first would pick another)."""
    matches = [(p, q) for p, q in _KL_REGISTRY if issubclass(type_p, p) and issubclass(type_q, q)]
    if not matches:
        return None
    left = min(matches, key=lambda m: (type_p.__mro__.index(m[0]), type_q.__mro__.index(m[1])))
    right = min(matches, key=lambda m: (type_q.__mro__.index(m[1]), type_p.__mro__.index(m[0])))
    if _KL_REGISTRY[left] is not _KL_REGISTRY[right]:
        warnings.warn(f"Ambiguous kl_divergence({type_p.__name__}, {type_q.__name__}). Please "
                      f"register_kl({left[0].__name__}, {right[1].__name__})", RuntimeWarning, stacklevel=3)
    return _KL_REGISTRY[left]


def kl_divergence(p, q):
    """KL(p ‖ q) = E_p[log p(x) − log q(x)], batched over the batch shape."""
    key = type(p), type(q)
    if key not in _KL_MEMOIZE:
        _KL_MEMOIZE[key] = _dispatch_kl(*key)
    if _KL_MEMOIZE[key] is None:
        raise NotImplementedError(f"No KL(p || q) is implemented for p type {p.__class__.__name__} and q type "
                                  f"{q.__class__.__name__}")
    return _KL_MEMOIZE[key](p, q)


def _infinite_like(x):
    return T.full_like(x, math.inf)


@register_kl(Normal, Normal)
def _kl_normal_normal(p, q):
    """½ (σp²/σq² + (μp − μq)²/σq² − 1 − log(σp²/σq²))"""
    var_ratio = (p.scale / q.scale).pow(2)
    t1 = ((p.loc - q.loc) / q.scale).pow(2)
    return 0.5 * (var_ratio + t1 - 1 - var_ratio.log())
