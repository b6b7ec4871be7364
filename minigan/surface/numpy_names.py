"""NumPy's names for PyTorch's arguments, which PyTorch's argument parser takes beside its own (``torch.cumprod(x,
axis=0)``, ``x.sum(axis=0, keepdims=True)``, ``torch.add(x1=a, x2=b)``): every function and method PyTorch writes in C
takes them (its python_arg_parser's numpy_compatibility_arg_names), its Python ones (torch.nn.functional's) do not.

minigan/doors.py's doors (written by tools/make_doors.py from PyTorch's signatures) take them through
``numpy_names``, one line a door.
"""

from __future__ import annotations

ALIASES = {"input": ("x", "a", "x1"), "other": ("x2",), "dim": ("axis",), "keepdim": ("keepdims",)}


class _Required:
    """The default of an argument PyTorch requires that may come under NumPy's name instead: given neither way, the
    door's TypeError says it is missing."""

    def __repr__(self):
        return "REQUIRED"


REQUIRED = _Required()


def numpy_names(fn: str, **arguments) -> tuple:
    """The arguments of ``fn`` that may come under NumPy's names or not at all, each as (the value given under
    PyTorch's name, its default, then the values given under NumPy's names in ALIASES' order, None where not given):
    the value given, one a name, in order.  Given under two names, or under none where PyTorch requires it (its
    default REQUIRED), is PyTorch's TypeError."""
    values = []
    for name, (value, default, *aliases) in arguments.items():
        given = [a for a in aliases if a is not None]
        if given and (value is not default or len(given) > 1):
            raise TypeError(f"{fn}() got multiple values for argument '{name}': give it once, as {name}= or as "
                            f"NumPy's {' or '.join(ALIASES[name])}=")
        value = given[0] if given else value
        if value is REQUIRED:
            also = f" (or NumPy's name for it: {', '.join(ALIASES[name])})" if name in ALIASES else ""
            raise TypeError(f"{fn}() missing required argument '{name}'{also}")
        values.append(value)
    return tuple(values)
