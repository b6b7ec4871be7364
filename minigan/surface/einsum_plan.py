"""einsum as PyTorch computes it (aten/src/ATen/native/Linear.cpp: ``einsum`` and ``sumproduct_pair``), step by step,
out of minigan's ops, so that everything a later line can see is PyTorch's: which products are summed in which order
(where ∞ meets −∞ or 0), the result's layout and whether it is a view of a product, its dtype (a sum of integers or
bools is int64; bmm has no bool kernel and takes one dtype), and the gradients, which are those of the steps.

The plan, for operands whose ``...`` the door has written as letters:
1. ``order``: every letter gets an axis: the output's first, then the ones summed over ("..." first, then the
   letters, capitals before small ones).
2. ``aligned``: each operand takes the diagonal of a repeated letter, gets a size-1 axis for each letter it lacks,
   and is permuted into that order, so that all operands broadcast against each other.
3. ``contract``: left to right, the first two operands become one: an axis summed over that only one of them has
   (larger than 1) is summed there first; then ``sumproduct_pair`` multiplies them, summing the axes both have.
   (PyTorch contracts three or more operands in the order the opt_einsum package finds, where it is installed;
   without it, as here, left to right.)
4. The summed axes, size 1 by now, are dropped with a view (one operand: they are summed)."""

from __future__ import annotations

import string

from minigan.engine import backend
from minigan.engine.graph import Node, namespace, select, unbroadcast, value
from minigan.engine.ops import shape as S
from minigan.surface.products import bmm


def order(inputs, output, ellipsis):
    """Every letter in its axis's place: the output's, then ``...``'s letters left out of the output, then the other
    summed letters, capitals first (PyTorch numbers the labels A–Z, then a–z)."""
    letters = {c for s in inputs for c in s}
    summed = [c for c in ellipsis if c not in output]
    summed += sorted(c for c in letters if c not in output and c not in ellipsis)
    return list(output) + summed


def aligned(x, letters, axes, last):
    """x (its axes named by ``letters``) with one axis per letter of ``axes``, in that order: a repeated letter's
    diagonal (moved back to the letter's first place), a size-1 axis for each letter x lacks, then a permute (which
    is the result when x is the only operand and nothing is summed: ``last``, a view even where it keeps the order;
    an identity permute elsewhere changes nothing a later step reads, and is skipped)."""
    place = {}  # letter -> its axis in x as it is now
    axis = 0
    for k, c in enumerate(letters):
        if c in place:  # a repeated letter: its diagonal, in the first one's place
            x = diagonal(x, "".join(place) + letters[k:])
        else:
            place[c] = axis
            axis += 1
    missing = [c for c in axes if c not in place]
    if missing:  # (PyTorch's unsqueeze at the end for each, as one reshape)
        x = reshaped(x, (*x.shape, *[1] * len(missing)))
        place.update((c, axis + k) for k, c in enumerate(missing))
    return permuted(x, [place[c] for c in axes], always=last)


def permuted(x, dims, always=False):
    """x.permute(dims); an identity permute only when ``always`` (its result is a view, whose layout is x's).  The
    plan's dims are always valid: the node itself, without the public method's checks of a user's arguments."""
    return S.Transpose.apply(x, axes=tuple(dims)) if always or dims != sorted(dims) else x


def reshaped(x, shape):
    """x.reshape(shape) (x.view(shape) where the plan views: the same node, a view wherever the layout allows), the
    node itself as in ``permuted``."""
    return S.Reshape.apply(x, shape=tuple(shape))


def diagonal(x, letters):
    """x.diagonal(0, first, second).movedim(-1, first), as PyTorch's step, where ``letters`` names x's axes and
    ``second`` is the second place of letters[first]: a view of x (minigan's einsum node reads a diagonal as NumPy's
    einsum does, as a view)."""
    second = next(k for k, c in enumerate(letters) if letters.index(c) < k)
    names = list(string.ascii_letters[:x.ndim])  # (one letter an axis: a letter repeated later stays apart here)
    names[second] = names[letters.index(letters[second])]
    return Einsum.apply(x, subscripts=("".join(names),), output="".join(names[:second] + names[second + 1:]))


def sumproduct_pair(left, right, sum_dims):
    """(left·right) summed over ``sum_dims``, keeping them as size-1 axes, as PyTorch's: an axis summed over that only
    one side has is summed there; the rest is a bmm of (both, left's, summed) by (both, summed, right's) whose result
    is viewed back and permuted into the axes' order (the result is a view of the bmm's); left and right swap when
    all of right's own axes come before left's.  Nothing summed: a mul."""
    if not sum_dims:
        return left * right
    both, left_only, right_only, sum_size = [], [], [], 1
    for i in range(left.ndim):
        sl, sr = left.shape[i] != 1, right.shape[i] != 1
        if i in sum_dims:
            if sl and sr:
                sum_size *= left.shape[i]
            elif sl:
                left = left.sum(i, keepdim=True)
            elif sr:
                right = right.sum(i, keepdim=True)
        elif sl and sr:
            both.append(i)
        elif sl:
            left_only.append(i)
        else:  # (an axis of size 1 on both sides is counted as the right's)
            right_only.append(i)
    if left_only and right_only and right_only[-1] < left_only[0]:  # (every right-only axis comes first in the
        left, right, left_only, right_only = right, left, right_only, left_only  # output: the bmm's result is laid
        # out in the output's order with the operands swapped)
    size = _product_of_sizes
    out_size = [left.shape[d] for d in both + left_only] + [1] * len(sum_dims) + [right.shape[d] for d in right_only]
    out_axes = both + left_only + sum_dims + right_only
    left = reshaped(permuted(left, out_axes), (size(left, both), size(left, left_only), sum_size))
    right = reshaped(permuted(right, both + sum_dims + right_only + left_only),
                     (size(right, both), sum_size, size(right, right_only)))
    return permuted(reshaped(bmm(left, right), out_size), [out_axes.index(i) for i in range(len(out_axes))])


def _product_of_sizes(x, axes):
    n = 1
    for d in axes:
        n *= x.shape[d]
    return n


def contract(inputs, output, operands, equation):
    """The einsum of ``operands`` (their letters ``inputs``, the output's ``output``; ``equation`` as given, whose
    letters tell the ones written for ``...`` apart), by PyTorch's plan (the module's docstring)."""
    with backend.np.errstate(invalid="ignore", over="ignore"):  # (∞ − ∞, 0·∞: NaN, and sums past the largest
        return _contract(inputs, output, operands, equation)  # float: ±∞, as PyTorch's, silently)


def _contract(inputs, output, operands, equation):
    ellipsis = []
    if "..." in equation:
        fresh = [c for c in string.ascii_letters if c not in equation]
        ellipsis = [c for c in fresh if any(c in s for s in inputs)]  # (the door wrote them in this order)
    axes = order(inputs, output, ellipsis)
    kept = len(output)
    ops = [aligned(x, s, axes, last=len(operands) == 1 and len(axes) == kept) for x, s in zip(operands, inputs)]
    counts = {c: sum(x.shape[axes.index(c)] != 1 for x in ops) for c in axes[kept:]}  # operands larger than 1 there
    while len(ops) > 1:
        a, b = ops.pop(0), ops.pop(0)
        sum_dims, a_sums, b_sums = _summable(a, b, axes, kept, counts)
        if a_sums:  # (one sum for several axes, as PyTorch's)
            a = a.sum(a_sums, keepdim=True)
        if b_sums:
            b = b.sum(b_sums, keepdim=True)
        ops.insert(0, sumproduct_pair(a, b, sum_dims))
    if len(axes) == kept:
        return ops[0]
    if len(operands) > 1:  # the summed axes are size 1 by now: a view without them
        return reshaped(ops[0], ops[0].shape[:kept])
    return ops[0].sum(list(range(kept, len(axes))))


def _summable(a, b, axes, kept, counts):
    """The summed axes the pair (a, b) can sum now: those both have, larger than 1, that no later operand has (summed
    in their product), and those only a (or only b) has, larger than 1, that no other operand has (summed there
    first).  ``counts`` (operands larger than 1 on each summed axis) is updated as the pair becomes one operand."""
    sum_dims, a_sums, b_sums = [], [], []
    for dim in range(kept, len(axes)):
        c = axes[dim]
        if a.shape[dim] != 1 and b.shape[dim] != 1:
            counts[c] -= 1
            if counts[c] == 1:
                sum_dims.append(dim)
                counts[c] = 0
        elif counts[c] == 1:
            if a.shape[dim] != 1:
                a_sums.append(dim)
                counts[c] = 0
            elif b.shape[dim] != 1:
                b_sums.append(dim)
                counts[c] = 0
    return sum_dims, a_sums, b_sums


class Einsum(Node):
    """NumPy's einsum over subscripts of single letters (``subscripts``: one string per operand, ``output``; the door
    has written any ``...`` as letters).  The gradient to each operand is another einsum: the output's gradient
    and the other operands, contracted back to that operand's letters.  A result NumPy gives as a view of the one
    operand ('ij->ji', 'ii->i') is a view of it, as PyTorch's einsum returns (a permute or a diagonal)."""

    is_view = True

    def forward(self, *operands, subscripts, output):
        self.subscripts, self.output, self.shapes = subscripts, output, [a.shape for a in operands]
        need = self.needs_input_grad or (False,) * len(operands)  # operand j is read by the others' gradients only
        self.save_for_backward(*[a if True in need[:j] + need[j + 1:] else None for j, a in enumerate(operands)])
        return backend.get_array_module(*operands).einsum(",".join(subscripts) + "->" + output, *operands)

    def backward(self, grad):  # d(Σ Π A_k)/dA_k = the same sum over the other factors, with grad for the output
        saved, grads = self.saved_tensors, []
        for k, need in enumerate(self.needs_input_grad):
            if not need:
                grads.append(None)
                continue
            letters, shape = self.subscripts[k], self.shapes[k]
            others = [j for j in range(len(self.subscripts)) if j != k]
            unique = "".join(dict.fromkeys(letters))  # each letter once, in the order of first appearance
            reached = set(self.output).union(*(self.subscripts[j] for j in others))
            g = Einsum.apply(grad, *(saved[j] for j in others), output="".join(c for c in unique if c in reached),
                             subscripts=(self.output, *(self.subscripts[j] for j in others)))
            # A letter only this operand had was summed over: its gradient is the same all along it (a size-1
            # axis here, broadcast below, as is one the other operands had at size 1); where this operand's size-1
            # axis was broadcast against the others, its gradient sums over that axis.
            size, sizes = dict(zip(letters, shape)), iter(g.shape)
            kept = tuple(next(sizes) if c in reached else 1 for c in unique)
            g = unbroadcast(g.reshape(kept), tuple(min(k, size[c]) for k, c in zip(kept, unique)))
            summed = dict(zip(unique, g.shape))
            first = tuple(summed[c] if letters.index(c) == i else 1 for i, c in enumerate(letters))
            g = namespace(g).broadcast_to(g.reshape(first), shape)
            if len(unique) < len(letters):  # a repeated letter read a diagonal: the gradient goes there, 0 elsewhere
                g = select(_diagonal_mask(letters, shape, backend.get_array_module(value(grad))), g)
            grads.append(g)
        return tuple(grads)


def _diagonal_mask(letters, shape, xp):
    """True where every repeated letter's positions hold equal indices (the entries an einsum like 'ii' reads)."""
    mask = xp.ones(shape, dtype=bool)
    for i, c in enumerate(letters):
        j = letters.index(c)
        if j < i:  # a later appearance of c: its index must equal the first one's
            index = [xp.arange(n).reshape([n if a == axis else 1 for a in range(len(shape))])
                     for axis, n in ((j, shape[j]), (i, shape[i]))]
            mask &= index[0] == index[1]
    return mask
