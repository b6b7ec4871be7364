"""How a tensor prints: PyTorch's ``repr`` (torch/_tensor_str.py) character for character, so that a learner's
output matches a PyTorch tutorial's.

One ``_Formatter`` looks at all the values shown and picks one style for the whole tensor: integers as they are;
floats that are all whole numbers as ``1.``; other floats with 4 decimals (``2.5000``); scientific notation
(``1.0000e-05``) when the values span more than a factor of 1000, or one is above 1e8 or below 1e-4.  Every
element is padded to the widest, so the columns line up.  Rows wrap at 80 characters; a tensor of more than
1000 elements shows only its first and last 3 items of each dimension, with "..." between.  Those are PyTorch's
default print options; ``minigan.set_printoptions`` changes them as ``torch.set_printoptions`` does.

A dtype prints with the library's name, ``dtype=minigan.float64`` where PyTorch prints ``dtype=torch.float64``
(minigan/_dtype.py); the lines break where PyTorch's do.
"""

from __future__ import annotations

import math

from minigan import _dtype
from minigan.engine import backend

# PyTorch's print options, changed by ``minigan.set_printoptions`` (its defaults here):
OPTIONS = {
    "precision": 4,  # decimals of the fixed and scientific styles
    "threshold": 1000,  # more elements than this: summarize
    "edgeitems": 3,  # items kept at each end of a summarized dimension
    "linewidth": 80,  # characters a line
    "sci_mode": None,  # True or False: scientific notation always or never; None: as the values ask
}


class _Formatter:
    """One style and one width for all the values of a tensor (PyTorch's ``_Formatter``)."""

    def __init__(self, values, floating):
        self.floating, self.int_mode, self.sci_mode, self.width = floating, True, False, 1
        if not floating:  # integers and bools print as Python does
            self.width = max([1] + [len(str(v)) for v in values])
            return
        finite = [v for v in values if math.isfinite(v) and v != 0]  # zeros, nan and inf do not pick the style
        if not finite:
            return
        sizes = [abs(v) for v in finite]
        self.int_mode = all(v == math.ceil(v) for v in finite)
        wide = max(sizes) / min(sizes) > 1000.0 or max(sizes) > 1.0e8 or min(sizes) < 1.0e-4
        self.sci_mode = wide if OPTIONS["sci_mode"] is None else OPTIONS["sci_mode"]
        precision = OPTIONS["precision"]
        if self.sci_mode:
            self.width = max(len(f"{v:.{precision}e}") for v in finite)
        elif self.int_mode:
            self.width = max(len(f"{v:.0f}") + 1 for v in finite)  # + 1 for the trailing "."
        else:
            self.width = max(len(f"{v:.{precision}f}") for v in finite)

    def format(self, value) -> str:
        if not self.floating:
            text = str(value)
        elif self.sci_mode:
            text = f"{value:{self.width}.{OPTIONS['precision']}e}"
        elif self.int_mode:  # a trailing "." says "float"; nan and inf need no such hint
            text = f"{value:.0f}" + ("" if math.isinf(value) or math.isnan(value) else ".")
        else:
            text = f"{value:.{OPTIONS['precision']}f}"
        return text.rjust(self.width)


def _shown_values(a, summarize) -> list:
    """The values that will be printed, flat: all of them, or only each dimension's edges when summarized."""
    if not summarize or a.ndim == 0:
        return a.reshape(-1).tolist()
    k = OPTIONS["edgeitems"]
    if a.shape[0] > 2 * k:
        parts = [a[:k], a[-k:]]
    else:
        parts = [a]
    if a.ndim == 1:
        return [v for part in parts for v in part.tolist()]
    return [v for part in parts for row in part for v in _shown_values(row, summarize)]


def _vector_str(a, indent, summarize, formatter) -> str:
    """One row: as many elements per line as fit in 80 characters, later lines aligned under the first."""
    per_line = max(1, (OPTIONS["linewidth"] - indent) // (formatter.width + 2))  # + 2: the ", " after each element
    k = OPTIONS["edgeitems"]
    if summarize and a.shape[0] > 2 * k:
        items = ([formatter.format(v) for v in a[:k].tolist()] + [" ..."]
                 + [formatter.format(v) for v in a[-k:].tolist()])
    else:
        items = [formatter.format(v) for v in a.tolist()]
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _nested_str(a, indent, summarize, formatter) -> str:
    """Brackets within brackets, one more space of indent per level; a d-D tensor's slices are separated by
    d - 1 newlines (so the matrices of a 3-D tensor have a blank line between them)."""
    if a.ndim == 0:
        return formatter.format(a.item())
    if a.ndim == 1:
        return _vector_str(a, indent, summarize, formatter)
    k = OPTIONS["edgeitems"]
    if summarize and a.shape[0] > 2 * k:
        slices = ([_nested_str(row, indent + 1, summarize, formatter) for row in a[:k]] + ["..."]
                  + [_nested_str(row, indent + 1, summarize, formatter) for row in a[-k:]])
    else:
        slices = [_nested_str(row, indent + 1, summarize, formatter) for row in a]
    return "[" + ("," + "\n" * (a.ndim - 1) + " " * (indent + 1)).join(slices) + "]"


def _add_suffixes(text, suffixes, indent) -> str:
    """``, device=...``, ``, dtype=...``: on the last line while it stays within 80 characters, else each on a
    new line under the first bracket."""
    out = [text]
    last_line = len(text) - text.rfind("\n") + 1  # (as PyTorch counts it: 2 more than the line's length)
    for suffix in suffixes:
        width = len(suffix) - (2 if suffix.startswith("dtype=") else 0)  # measured as "dtype=torch.float64", so
        if last_line + width + 2 > OPTIONS["linewidth"]:  # the lines break where PyTorch's do
            out.append(",\n" + " " * indent + suffix)
            last_line = indent + width
        else:
            out.append(", " + suffix)
            last_line += width + 2
    return "".join(out) + ")"


def tensor_repr(t) -> str:
    """``repr(t)`` as PyTorch prints the same values (see the module docstring)."""
    a = backend.asnumpy(t.array)
    prefix = "tensor("
    suffixes = []
    if t.device != "cpu":
        suffixes.append(f"device='{t.device}'")
    if a.size == 0:  # no value shows the dtype, so only float32 goes unnamed
        if a.ndim != 1:
            suffixes.append(f"size={tuple(a.shape)}")
        if a.dtype != backend.DEFAULT_DTYPE:
            suffixes.append(f"dtype={_dtype.of(a.dtype)}")
        body = "[]"
    else:
        if a.dtype not in (backend.DEFAULT_DTYPE, "int64", "bool"):  # the defaults of each kind go unnamed
            suffixes.append(f"dtype={_dtype.of(a.dtype)}")
        summarize = a.size > OPTIONS["threshold"]
        formatter = _Formatter(_shown_values(a, summarize), backend.is_floating(a.dtype))
        body = _nested_str(a, len(prefix), summarize, formatter)
    if t.grad_fn is not None:
        suffixes.append(f"grad_fn=<{t.grad_fn.name()}>")  # PyTorch's name (minigan/surface/node_view.py)
    elif t.requires_grad:
        suffixes.append("requires_grad=True")
    return _add_suffixes(prefix + body, suffixes, len(prefix))
