"""Products and the diagonal: ``bmm``, ``addmm`` and its kin, ``mv``, ``dot``, ``outer``, ``inner``, ``dist``, ``diag``,
``trace``.
"""

from __future__ import annotations

import builtins
import string
import warnings

from minigan._dtype import common_dtype
from minigan.engine import backend, checks
from minigan.engine.errors import DimensionError, DomainError, DtypeError, GraphError, ShapeError
from minigan.engine.grad_mode import is_grad_enabled
from minigan.engine.graph import namespace
from minigan.engine.ops import linalg
from minigan.engine.ops.linalg import ScaledMatMul
from minigan.engine.tensor import Tensor
from minigan.surface import norms, scaled
from minigan.surface.creation import integer
from minigan.surface.missing import NotInMinigan
from minigan.surface.no_derivative import no_derivative
from minigan.surface.node_view import shown_as
from minigan.surface.operands import _t, in_dtype, same_dtype
from minigan.surface.shapes import cat


def bmm(input, mat2):
    """Batched matrix product of (b, n, m) and (b, m, p) tensors."""
    if (_t(input, "bmm").ndim, _t(mat2, "bmm").ndim) != (3, 3):  # (both are tensors first; PyTorch: an IndexError
        # or a RuntimeError)
        raise DimensionError(f"bmm: expected two 3-d tensors, got shapes {tuple(input.shape)} and {tuple(mat2.shape)}")
    if input.shape[0] != mat2.shape[0]:  # (PyTorch's bmm never broadcasts the batch, where @ would)
        raise ShapeError(f"bmm: the two batches must have one size, got shapes {tuple(input.shape)} and "
                         f"{tuple(mat2.shape)}; matmul (@) broadcasts a batch of 1")
    if 0 in input.shape or 0 in mat2.shape:  # (no product computed: PyTorch's kernel, which checks the dtypes, never
        return input @ mat2  # runs, and the result is zeros in mat2's dtype, or has no entries: @'s batched path)
    one_dtype("bmm", input, mat2)
    return input @ mat2


def _matrices(fn, **named):
    """PyTorch's checks of a matrix product's operands, in its order: each named one a matrix (2-D), then one dtype
    for all (RuntimeError: it does not promote here), then a kernel that has no bool form (NotImplementedError)."""
    for name, t in named.items():
        if _t(t, fn).ndim != 2:
            raise ShapeError(f"{fn}: {name} must be a matrix, got a {t.ndim}-D tensor of shape {tuple(t.shape)}")
    one_dtype(fn, *named.values())


def one_dtype(fn, *tensors):
    if builtins.len({t.dtype for t in tensors}) > 1:
        raise DtypeError(f"{fn}: the operands must have one dtype, got {', '.join(str(t.dtype) for t in tensors)} "
                         "(PyTorch does not promote here); convert them with .to()")
    computed = builtins.all(t.ndim == 1 for t in tensors) or builtins.all(t.numel() for t in tensors)  # (a dot is)
    if tensors[0].dtype.kind == "b" and computed:  # (PyTorch's kernels refuse bools where they compute a product)
        raise DtypeError(f"{fn}: not implemented for bool tensors (nor is PyTorch's); convert them with .long() or "
                         ".float()")


def _fits(fn, x, shape):
    """x must broadcast to ``shape`` (the product's), as PyTorch expands it; x itself is never enlarged."""
    fits = x.ndim <= builtins.len(shape) and builtins.all(a in (1, b) for a, b in zip(x.shape[::-1], shape[::-1]))
    if not fits:
        raise ShapeError(f"{fn}: input of shape {tuple(x.shape)} does not broadcast to the product's shape {shape}")


def _scales(fn, beta, alpha, dtype):
    """beta and alpha in the product's dtype, as PyTorch's kernels read them (an integer product truncates 2.5 to 2)."""
    return in_dtype(fn, "beta", beta, dtype), in_dtype(fn, "alpha", alpha, dtype)


def _no_integer_grad(fn, dtype, *tensors):
    """PyTorch records the node of a product that computes nothing, and refuses an integer or bool result of an
    operand that requires grad (its "Autograd not support dtype"), under grad mode."""
    if dtype.kind != "f" and is_grad_enabled() and builtins.any(t.requires_grad for t in tensors):
        raise GraphError(f"{fn}: autograd does not support a {dtype} result of an operand that requires grad, as "
                         "PyTorch's; give the operands one floating dtype")


def _input_alone(fn, c, beta, shape, dtype, *, again=False):
    """beta·input where PyTorch's kernel computes no product (an inner size of 0, or no batches): input copied into
    the result (``shape``, ``dtype``) and scaled in place, so beta must fit that dtype as ``mul_``'s operand (an
    integer result refuses 2.5, a bool one 1); beta = 0 gives zeros.  ``again``: addbmm scales by 1 for each batch
    after the first, which a bool result refuses too.  A result of no entries is never scaled.  Row-major, as
    PyTorch allocates it, whatever input's layout."""
    out = c.to(dtype).expand(*shape)
    out = out.clone() if out.is_contiguous() else out.contiguous()
    if out.numel() and beta == 0:
        out.zero_()
    elif out.numel():
        out.mul_(beta)
    if again and out.numel():
        out.mul_(1)
    return out


class GemmKernels:
    """gemm scales each term, gemv and bmm the sum (with alpha = ∞ a 0 term is NaN in gemm's): alpha·(a @ b) as the
    BLAS calls of PyTorch's addmm, addmv, baddbmm and addbmm compute it, the engine's ScaledMatMul's row of KERNELS
    (``blas`` names the routine the door's op calls).  gemm and gemv leave the product out where alpha = 0 or there
    is nothing to sum, so an ∞ in a matrix stays out.  The backward is the engine's, contracted first and then
    scaled, as PyTorch's ``maybe_multiply(grad.mm(bᵀ), alpha)``: alpha = ±∞ times an empty or zero sum is NaN."""

    @staticmethod
    def scale(out, a, b, alpha, blas):  # alpha·(a @ b), out = a @ b
        if out.dtype.kind in "iu":  # (an integer alpha wraps into the dtype, as PyTorch's: uint8 scales by -1 as 255)
            alpha = backend.np.asarray(alpha).astype(out.dtype)[()]
        if blas and (alpha == 0 or a.shape[-1] == 0):
            return namespace(out).zeros_like(out)
        return backend.c_order(backend.matmul(a, b * alpha)) if blas == "gemm" else out * alpha


def _product(a, b, alpha, *, blas=None):
    """alpha·(a @ b), scaled as PyTorch's products scale (see GemmKernels); a plain product for alpha = 1."""
    checks.check_matmul(tuple(a.shape), tuple(b.shape))
    return a @ b if alpha == 1 else ScaledMatMul.apply(a, b, alpha=alpha, blas=blas)


def _plus(product, c, beta):
    """product + beta·input, input broadcast to the product's shape before it is scaled, as PyTorch scales the
    gradient before summing it over the broadcast (grad·∞ summed: NaN where a 0 meets ∞, not ∞·the sum)."""
    return product + (c if beta == 1 else _times(c.expand(*product.shape), beta))


def _times(c, beta):
    """beta·input; with beta = 0 the input is ignored, its NaN and ∞ not propagated (PyTorch's documentation says
    so): 0·c with c's non-finite entries read as 0, so c's gradient is still grad·0 (beta: False for a bool c)."""
    return c.nan_to_num(0.0, 0.0, 0.0) * beta if beta == 0 else c * beta


def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    """beta·input + alpha·(mat1 @ mat2)."""
    c = _t(input, "addmm")
    _matrices("addmm", mat1=mat1, mat2=mat2)
    one_dtype("addmm", c, mat1, mat2)
    _fits("addmm", c, (mat1.shape[0], mat2.shape[1]))
    if mat1.shape[1] == 0:  # (no product computed: see _input_alone)
        return _input_alone("addmm", c, beta, (mat1.shape[0], mat2.shape[1]), c.dtype) + mm(mat1, mat2)
    beta, alpha = _scales("addmm", beta, alpha, c.dtype)
    return shown_as(_plus(_product(mat1, mat2, alpha, blas="gemm"), c, beta), "AddmmBackward0")  # (the product
    # first: row-major, as PyTorch allocates it, whatever input's layout)


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1):
    """beta·input + alpha·(batch1 @ batch2), batch by batch."""
    product = bmm(_t(batch1, "baddbmm"), batch2)  # (the batches' dtypes checked in bmm's name, then input's:)
    if 0 in batch1.shape or 0 in batch2.shape:  # (no product computed: PyTorch checks input against batch1 alone,
        if _t(input, "baddbmm").dtype != batch1.dtype:  # and the result is in batch2's dtype: see _input_alone)
            raise DtypeError(f"baddbmm: input and batch1 must have one dtype, got {input.dtype} and {batch1.dtype}"
                             "; convert them with .to()")
        _fits("baddbmm", input, tuple(product.shape))
        _no_integer_grad("baddbmm", product.dtype, input)
        if alpha != 1 and product.dtype.kind == "f":  # (alpha times an empty sum: a batch2's gradient is NaN for
            product = ScaledMatMul.apply(batch1.to(product.dtype), batch2, alpha=alpha, blas="gemm")  # alpha ±∞)
        return _input_alone("baddbmm", input, beta, product.shape, product.dtype) + product
    one_dtype("baddbmm", _t(input, "baddbmm"), batch1, batch2)  # (PyTorch does not promote input either)
    beta, alpha = _scales("baddbmm", beta, alpha, product.dtype)
    product = product if alpha == 1 else ScaledMatMul.apply(batch1, batch2, alpha=alpha)  # (see GemmKernels)
    return _plus(product, input, beta)  # (laid out as the product: see addmm)


def addbmm(input, batch1, batch2, *, beta=1, alpha=1):
    """beta·input + alpha·Σ_b batch1[b] @ batch2[b]."""
    c, b1, b2 = _t(input, "addbmm"), _t(batch1, "addbmm"), _t(batch2, "addbmm")
    if 0 in b1.shape[::2]:  # (PyTorch's addmm of each batch in turn is where no product is computed)
        shape = bmm(b1.detach(), b2.detach()).shape[1:]  # (bmm's checks of the shapes)
        _fits("addbmm", c, shape)
        _no_integer_grad("addbmm", c.dtype, b1, b2)
        if b1.shape[0]:  # (then addmm checks input's dtype; each batch after the first scales by 1 again)
            one_dtype("addbmm", c, b1, b2)
        out = _input_alone("addbmm", c, beta, shape, c.dtype, again=b1.shape[0] > 1)
        for b in (b1, b2):  # PyTorch records the node all the same: the result requires grad, each batch's
            if b.requires_grad and is_grad_enabled():  # gradient empty (its inner size or its batches: none)
                out = out - b.sum(dtype=c.dtype) * 0  # (x − 0 is x, -0.0 included)
        return out
    products = bmm(b1, b2)  # (bmm checks the batches' dtypes)
    one_dtype("addbmm", c, batch1, batch2)  # (PyTorch does not promote input either)
    beta, alpha = _scales("addbmm", beta, alpha, products.dtype)
    products = products if alpha == 1 else ScaledMatMul.apply(batch1, batch2, alpha=alpha, blas="gemm")  # (PyTorch's
    # addmm_ of each batch: gemm)
    return _plus(products.sum(0, dtype=products.dtype), c, beta)  # (in their dtype: a sum of integers would be
    # int64; laid out as the product: see addmm)


def addmv(input, mat, vec, *, beta=1, alpha=1):
    """beta·input + alpha·(mat @ vec)."""
    c, A, v = _t(input, "addmv"), _t(mat, "addmv"), _t(vec, "addmv")
    if c.ndim > 1 or A.ndim != 2 or v.ndim != 1:
        raise ShapeError(f"addmv: expected a vector + a matrix @ a vector, got shapes {tuple(c.shape)}, "
                         f"{tuple(A.shape)} and {tuple(v.shape)}")
    if A.shape[1] != v.shape[0] or c.ndim and c.shape[0] not in (1, A.shape[0]):
        raise ShapeError(f"addmv: size mismatch, got input {tuple(c.shape)}, mat {tuple(A.shape)}, vec "
                         f"{tuple(v.shape)}")
    one_dtype("addmv", c, A, v)
    beta, alpha = _scales("addmv", beta, alpha, c.dtype)
    if A.numel() == 0 and beta != 0 and tuple(c.shape) != (A.shape[0],):  # PyTorch's kernel for an empty matrix
        out = c.clone() if beta == 1 else _times(c, beta)  # gives beta·input in input's own shape, not broadcast to
        # mat's rows (a 0-d input gives 0-d); its backward into mat or vec then refuses that shape
        if A.shape[0]:  # (PyTorch's own warning, from resizing the result it had made of mat's rows)
            warnings.warn(f"addmv: an output with one or more elements was resized since it had shape "
                          f"[{A.shape[0]}], which does not match the required output shape {list(c.shape)}; PyTorch "
                          "deprecates this, so give an input of mat's rows", UserWarning, stacklevel=2)
        return no_derivative(out, "addmv", c, A, v, why="its result kept the input's shape, which the gradient of "
                             "mat and vec refuses; give an input of mat's rows") if A.requires_grad or \
            v.requires_grad else out
    product = _product(A, v, alpha, blas="gemv")
    return (c if beta == 1 else _times(c.expand(*product.shape), beta)) + product  # (see _plus; input first)


def addr(input, vec1, vec2, *, beta=1, alpha=1):
    """beta·input + alpha·(vec1 ⊗ vec2); for bools, (beta and input) or (alpha and vec1 ⊗ vec2), as PyTorch's."""
    c = _t(input, "addr")
    for name, v in (("vec1", vec1), ("vec2", vec2)):
        if _t(v, "addr").ndim != 1:
            raise ShapeError(f"addr: {name} must be 1-D, got shape {tuple(v.shape)}")
    _fits("addr", c, (vec1.shape[0], vec2.shape[0]))
    beta, alpha = (scaled.checked_alpha("addr", v, c, outer(vec1, vec2), n) for n, v in (("beta", beta),
                                                                                         ("alpha", alpha)))
    if c.dtype.kind == vec1.dtype.kind == vec2.dtype.kind == "b":
        return (c & builtins.bool(beta)) | (outer(vec1, vec2) & builtins.bool(alpha))
    dtype = common_dtype((c, vec1, vec2))  # (PyTorch's pointwise kernel works in the three's promoted dtype:
    # an int32 input and bool vectors make int32, where outer(vec1, vec2) * alpha alone would make int64)
    product = _product(vec1.to(dtype).reshape(-1, 1), vec2.to(dtype).reshape(1, -1), alpha)  # (scaled: see GemmKernels)
    out = (c.to(dtype) if beta == 1 else _times(c.to(dtype).expand(*product.shape), beta)) + product  # (laid out
    # as input, as PyTorch's pointwise kernel)
    # PyTorch's backward takes grad·vec2 and gradᵀ·vec1 with mv, which refuses a vector of another dtype than grad's
    if vec1.requires_grad and vec2.dtype != out.dtype or vec2.requires_grad and vec1.dtype != out.dtype:
        return no_derivative(out, "addr", c, vec1, vec2, why="its backward multiplies the gradient by a vector of "
                             "another dtype, which PyTorch's mv refuses; give vec1 and vec2 the result's dtype")
    return out


def dist(input, other, p=2):
    """The p-norm of input − other (broadcast), of every order (minigan/surface/norms.py)."""
    return shown_as(norms.dist(input, other, p), "DistBackward0")


def outer(input, vec2):
    """The outer product of two vectors: out[i, j] = input[i]·vec2[j]."""
    if (_t(input, "outer").ndim, _t(vec2, "outer").ndim) != (1, 1):
        raise ShapeError(f"outer: expected two 1-d tensors, got shapes {tuple(input.shape)} and {tuple(vec2.shape)}")
    return input.reshape(-1, 1) * vec2.reshape(1, -1)


def dot(input, tensor):
    """The dot product of two 1-d tensors."""
    if (_t(input, "dot").ndim, _t(tensor, "dot").ndim) != (1, 1):
        raise ShapeError(f"dot: expected two 1-d tensors, got shapes {tuple(input.shape)} and {tuple(tensor.shape)}")
    return input @ tensor


def mv(input, vec):
    """Matrix (n, m) times vector (m,)."""
    if (_t(input, "mv").ndim, _t(vec, "mv").ndim) != (2, 1):  # (both are tensors first; PyTorch: an IndexError
        # or a RuntimeError)
        raise DimensionError(f"mv: expected a 2-d and a 1-d tensor, got shapes {tuple(input.shape)} and "
                             f"{tuple(vec.shape)}")
    return input @ vec


def inner(input, other):
    """Σ_k input[..., k]·other[..., k] for every pair of leading indices: shape input.shape[:-1] + other.shape[:-1]."""
    x, y = _t(input, "inner"), _t(other, "inner")
    if x.ndim == 0 or y.ndim == 0:  # a product by a number, which promotes (PyTorch's)
        return x * y
    if not (x.ndim == y.ndim == 1 and x.dtype == y.dtype and not (x.is_contiguous() and y.is_contiguous())):
        one_dtype("inner", x, y)  # (PyTorch's tensordot computes two vectors, one of them not contiguous, of bools)
    if x.shape[-1] != y.shape[-1]:  # (the product below would broadcast a 1 against any size)
        raise ShapeError(f"inner: the last dims must match, got shapes {tuple(x.shape)} and {tuple(y.shape)}")
    if is_grad_enabled():  # (PyTorch's inner is a tensordot: an mm of each one's leading axes folded, saved for the
        # other's gradient, a copy where they do not fold as a view: see saved_copies)
        x = x.clone() if y.requires_grad and folds_to_copy(x.array, x.shape[-1]) else x
        y = y.clone() if x.requires_grad and folds_to_copy(y.array, y.shape[-1]) else y
    products = x.reshape(*x.shape[:-1], *[1] * (y.ndim - 1), x.shape[-1]) * y
    return view_of_product(products.sum(-1, dtype=products.dtype))  # (in the operands' dtype: int32 stays int32)


def view_of_product(out):
    """``out`` as PyTorch hands back a product it computed as an mm (or dot) and reshaped (inner, tensordot,
    multi_dot, linear of an input that is not 2-D): a view of it, its ``_base`` the product and its node
    ViewBackward0, so that an in-place op on it goes through CopySlices, as there (the gradient reaching the product
    is the upstream with the written part replaced: it requires grad under create_graph when the upstream does)."""
    return out.view(out.shape)


def diag(input, diagonal=0):
    """A 1-D input laid on the ``diagonal``-th diagonal of a square matrix (zeros elsewhere), or a 2-D input's
    ``diagonal``-th diagonal as a vector."""
    x, diagonal = _t(input, "diag"), integer(diagonal, "diag", "diagonal")
    if x.ndim == 1:
        n = x.shape[0] + builtins.abs(diagonal)
        out = Tensor._make(backend.get_array_module(x.array).zeros((n, n), dtype=x.dtype))
        out[_diagonal_index(n, n, diagonal, x)] = x
        return out
    if x.ndim != 2:
        raise ShapeError(f"diag: input must be 1-D or 2-D, got shape {tuple(x.shape)}")
    return x[_diagonal_index(*x.shape, diagonal, x)]


def matrix_power(input, n):
    """A multiplied by itself n times (A⁰ is the identity), for square matrices (…, k, k): by repeated squaring, as
    PyTorch's, so its gradient is the products'.  A negative n needs the inverse, which minigan does not provide."""
    A = _t(input, "matrix_power")  # (PyTorch's keyword is input)
    if isinstance(n, bool) or not hasattr(n, "__index__"):
        raise TypeError(f"linalg.matrix_power: n must be an integer, got {type(n).__name__} {n!r}")
    n = int(n)
    if A.ndim < 2 or A.shape[-1] != A.shape[-2]:
        raise ShapeError(f"linalg.matrix_power: expected square matrices (..., k, k), got shape {tuple(A.shape)}")
    if n >= 2:  # (a product: no bool kernel)
        one_dtype("linalg.matrix_power", A)
    if n < 0:
        raise NotInMinigan(f"linalg.matrix_power: n = {n} needs the inverse of A, which minigan does not "
                                    "provide: use numpy.linalg.matrix_power on A.detach().numpy() (no gradient)")
    if n <= 1:  # a copy, laid out row-major as PyTorch's whatever A's layout
        copy = A.clone() if A.is_contiguous() else A.contiguous()
        if n == 0:
            eye = Tensor._make(backend.get_array_module(A.array).eye(A.shape[-1], dtype=A.array.dtype))
            copy.copy_(eye.expand(*A.shape))  # (the identity, with a zero gradient to A)
        return copy
    if n <= 3:  # PyTorch's products for 2, 3: A·A, (A·A)·A
        return A @ A if n == 2 else (A @ A) @ A
    result, square = None, A
    while n:
        if n & 1:
            result = square if result is None else result @ square
        n >>= 1
        if n:
            square = square @ square
    return result


def _diagonal_index(rows, columns, offset, like):
    """(row, column) index arrays of the ``offset``-th diagonal of a rows × columns matrix (above the main one for
    offset > 0), on ``like``'s device."""
    n = builtins.max(0, builtins.min(rows + builtins.min(offset, 0), columns - builtins.max(offset, 0)))
    i = backend.get_array_module(like.array).arange(n) + builtins.max(-offset, 0)
    return i, i + offset


def trace(input):
    """The sum of a matrix's diagonal."""
    x = _t(input, "trace")
    if x.dtype.kind == "b":  # (first, as PyTorch's: NotImplementedError)
        raise DtypeError("trace: not implemented for bool tensors (nor is PyTorch's); convert it with .long()")
    if x.ndim != 2:
        raise ShapeError(f"trace: input must be a matrix, got shape {tuple(x.shape)}")
    return shown_as(diag(x).sum(), "TraceBackward0")


def einsum_arguments(args):
    """(equation, operands) of PyTorch's two forms: einsum("ij,jk->ik", a, b) (or the operands in one list), and the
    sublist form einsum(a, [0, 1], b, [1, 2], [0, 2]): each operand followed by its subscripts, ints in [0, 52)
    (0–25 the letters A–Z, 26–51 a–z) or ``...``, the output's last when the count of arguments is odd."""
    if builtins.len(args) < 2:
        raise ValueError("einsum: give the equation and at least one operand, e.g. einsum('ij,jk->ik', a, b), or "
                         "operands each followed by its subscripts list")
    if not isinstance(args[0], Tensor):
        operands = args[1:]
        if builtins.len(operands) == 1 and isinstance(operands[0], (list, tuple)):  # einsum(eq, [a, b])
            operands = tuple(operands[0])
        if not isinstance(args[0], str):
            raise TypeError(f"einsum: the first argument is the equation (a string such as 'ij,jk->ik') or an operand,"
                            f" got {type(args[0]).__name__}")
        return args[0], operands

    def letters(sublist):
        for n in sublist:
            if n is not Ellipsis and not (checks.is_integer(n) and 0 <= n < 52):
                raise ValueError(f"einsum: a subscript in a sublist must be an int in [0, 52) or ..., got {n!r}")
        return "".join("..." if n is Ellipsis else string.ascii_uppercase[n] if n < 26 else
                       string.ascii_lowercase[n - 26] for n in sublist)

    equation = ",".join(letters(sub) for sub in args[1::2])
    if builtins.len(args) % 2:
        return equation + "->" + letters(args[-1]), args[:-1:2]
    return equation, args[::2]


def einsum_letters(equation, xs):
    """The equation's subscripts with any "..." written as fresh letters (the same ones, right-aligned, in every
    operand), and the output's (given, or implicit); each checked against the operands' shapes."""
    left, arrow, right = equation.partition("->")
    subscripts = left.split(",")
    if builtins.len(subscripts) != builtins.len(xs):
        raise DomainError(f"einsum: {equation!r} names {builtins.len(subscripts)} operand(s), {builtins.len(xs)} given")
    for s in subscripts + ([right] if arrow else []):
        if s.count("...") > 1 or not s.replace("...", "").isalpha() and s.replace("...", ""):
            raise DomainError(f"einsum: {s!r} in {equation!r}: subscripts are letters, with at most one '...'")
    fresh = [c for c in string.ascii_letters if c not in equation]
    spans = [x.ndim - builtins.len(s.replace("...", "")) for s, x in zip(subscripts, xs)]
    for s, x, span in zip(subscripts, xs, spans):
        if span < 0 or span > 0 and "..." not in s:
            raise ShapeError(f"einsum: {s!r} names {builtins.len(s.replace('...', ''))} axes, but its operand has "
                             f"shape {tuple(x.shape)}")
    rank = builtins.max([n for s, n in zip(subscripts, spans) if "..." in s], default=0)
    inputs = tuple(s.replace("...", "".join(fresh[rank - n:rank])) for s, n in zip(subscripts, spans))
    if arrow:
        output = right.replace("...", "".join(fresh[:rank]))  # (without '...', those axes are summed, as PyTorch)
    else:
        once = [c for c in left if c.isalpha() and left.count(c) == 1]
        output = "".join(fresh[:rank]) + "".join(builtins.sorted(once))
    sizes = {}
    for k, (s, x) in enumerate(zip(inputs, xs)):
        for c in builtins.set(s):  # (a letter repeated in one operand takes its diagonal: no broadcast of a 1 there)
            repeated = {n for d, n in zip(s, x.shape) if d == c}
            if builtins.len(repeated) > 1:
                raise ShapeError(f"einsum: {c!r} is repeated in operand {k} of {equation!r}, for sizes "
                                 f"{builtins.sorted(repeated)}; a repeated letter takes a diagonal, whose sizes match")
        for c, n in zip(s, x.shape):
            if sizes.setdefault(c, n) != n and 1 not in (n, sizes[c]):
                raise ShapeError(f"einsum: {c!r} in {equation!r} stands for sizes {sizes[c]} and {n}")
            sizes[c] = builtins.max(sizes[c], n)
    if builtins.len(set(output)) < builtins.len(output) or builtins.any(c not in sizes for c in output):
        raise DomainError(f"einsum: the output of {equation!r} must name each of the inputs' letters at most once")
    return inputs, output


# ------------------------------------ x @ y as PyTorch's _matmul_impl runs it

def matmul_operator(x, other):
    """``x @ other`` (minigan.Tensor's ``__matmul__``): the engine's product, with what PyTorch's _matmul_impl adds
    that a program can see.  Its batched path (other of 3 dims or more; x of 3 or more, or of 2 not requiring grad)
    multiplies an empty operand with no check of the dtypes (its other paths check them): bmm's zeros, in other's
    dtype.  And where an operand has 3 dims or more, what it saves for the other's gradient is a new copy where its
    reshape to mm or bmm cannot be a view (saved_copies): a later in-place change of the operand is not refused at
    backward then, and never reaches the gradient.  Bool operands pass where no product is computed (an empty one,
    not a dot), as PyTorch's, whose bool kernel is missing but never asked.  The rest is the engine's ``@``: its
    checks, then MatMul."""
    if isinstance(other, Tensor) and x.array.ndim <= 2 and other.array.ndim <= 2 and x.array.dtype.kind == "f":
        return Tensor.__matmul__(x, other)  # the usual call (a dot, mv or mm of floats): the engine's @ as it is
    if type(other) in checks.SEQUENCES:
        return NotImplemented
    other = x._matmul_operand(other)
    checks.check_matmul(x.array.shape, other.array.shape)
    if other.array.ndim >= 3 and x.ndim >= 2 + x.requires_grad and 0 in (x.array.size, other.array.size):
        if x.requires_grad and is_grad_enabled() and other.array.dtype.kind != "f":  # (PyTorch records it)
            raise GraphError(f"matmul: autograd does not support a {other.dtype} result of an operand that "
                             "requires grad, as PyTorch's; give both operands one floating dtype")
        return linalg.MatMul.apply(x.astype(other.dtype), other)
    computed = x.ndim == other.ndim == 1 or 0 not in (x.array.size, other.array.size)  # (a dot is always computed)
    checks.check_matmul_dtypes(x, other, computed)  # (bool only where no product is: PyTorch's)
    if x.array.ndim >= 3 or other.array.ndim >= 3:  # (dot, mv, mm: PyTorch saves the operands themselves)
        need = (x.requires_grad and is_grad_enabled(), other.requires_grad and is_grad_enabled())
        copied = saved_copies(x.array, other.array, need)  # (PyTorch's folded or flattened copies)
        x, other = x.clone() if copied[0] else x, other.clone() if copied[1] else other
    return linalg.MatMul.apply(x, other)  # (the engine's @ past its checks, made above)


def saved_copies(a, b, need):
    """Which of the arrays a, b (with ``need``: does each need a gradient) PyTorch's matmul saves for the other's
    gradient as a new copy, not as a view, so that an in-place change of it after the product is not refused at
    backward and never reaches the gradient: where the reshape it hands to mm or bmm cannot be a view (its
    ``_matmul_impl``).  Of 1 or 2 dims each: none.  One of 3 or more and the other of 1 or 2 (or a batch of 1 the
    other lacks, which it squeezes away) whose gradient is needed: the larger, its batch folded into rows.  Both
    batched: each, expanded to the common batch and flattened into one batch axis."""
    if True not in need:
        return False, False
    if a.ndim == b.ndim == 3 and a.shape[0] != b.shape[0]:  # a batch of 1 whose gradient is needed: squeezed away
        a, b = (a[0], b) if a.shape[0] == 1 and need[0] else (a, b[0]) if b.shape[0] == 1 and need[1] else (a, b)
    if b.ndim < 3:  # mm (or mv) of a, its batch folded into rows
        return need[1] and folds_to_copy(a, a.shape[-1]), False
    if a.ndim < 3:  # mm of b's transpose (mT), its batch folded into rows
        return False, need[0] and folds_to_copy(b.swapaxes(-1, -2), b.shape[-2])
    batch, xp = backend.broadcast_shapes(a.shape[:-2], b.shape[:-2]), backend.get_array_module(a)  # bmm
    return tuple(n and folds_to_copy(xp.broadcast_to(x, batch + x.shape[-2:]), *x.shape[-2:])
                 for x, n in ((a, need[1]), (b, need[0])))


def folds_to_copy(x, *last):  # does reshaping x to (-1, *last) copy it? (never when empty: PyTorch's view then)
    return x.size > 0 and not backend.get_array_module(x).may_share_memory(x.reshape((-1,) + last), x)


# ------------------------------------ the free functions minigan.matmul, minigan.cross, ... (toplevel.py: behind out=)

def mm(input, mat2):
    """The product of two matrices: no batches and no vectors, one dtype (PyTorch's checks)."""
    x, y = _t(input, "mm"), _t(mat2, "mm")
    for name, t in (("self", x), ("mat2", y)):
        if t.ndim != 2:
            raise ShapeError(f"mm: {name} must be a matrix, got shape {tuple(t.shape)}")
    if x.shape[1] != y.shape[0]:
        raise ShapeError(f"mm: mat1 and mat2 shapes cannot be multiplied ({x.shape[0]}x{x.shape[1]} and "
                         f"{y.shape[0]}x{y.shape[1]})")
    one_dtype("mm", x, y)
    return x @ y


def vdot(input, other):
    return dot(input, other)


def cross(input, other, dim=None):
    """The cross product of 3-vectors along ``dim``; with no dim, the first dimension of size 3 (PyTorch's
    deprecated default: pass dim, or use linalg.cross, whose default is -1)."""
    x, y = _t(input, "cross"), _t(other, "cross")  # (the ranks, the dim, then the dtypes, as PyTorch's)
    if x.ndim != y.ndim:
        raise ShapeError(f"cross: the inputs must have the same number of dimensions, got shapes {tuple(x.shape)} "
                         f"and {tuple(y.shape)}")
    if dim is None:
        warnings.warn("Using minigan.cross without specifying the dim arg is deprecated (as in PyTorch): pass dim, or "
                      "use minigan.linalg.cross (its default is the last dim)", UserWarning, stacklevel=3)
        shape = backend.broadcast_shapes(tuple(x.shape), tuple(y.shape))
        dim = next((i for i, n in enumerate(shape) if n == 3), None)
        if dim is None:  # (RuntimeError, as PyTorch's)
            raise ShapeError(f"cross: no dimension of size 3 in the inputs' shapes {tuple(x.shape)} and "
                             f"{tuple(y.shape)}; pass dim")
    elif x.ndim == 0 or y.ndim == 0:  # (IndexError, as PyTorch's)
        raise DimensionError(f"cross: dim {dim} is out of range for a 0-d input; cross takes vectors of 3")
    dim = checks.normalize_axis(dim, x.ndim, "cross", single=True)
    same_dtype("cross", x, y)
    if x.dtype.kind == "b":
        raise DtypeError("cross: not implemented for bool tensors (nor is PyTorch's); convert them with .long()")
    if x.shape[dim] != 3 or y.shape[dim] != 3:
        raise ShapeError(f"cross: dim {dim} must have size 3, got shapes {tuple(x.shape)} and {tuple(y.shape)}")
    a, b = x.unbind(dim), y.unbind(dim)
    components = [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]
    return cat([c.unsqueeze(dim) for c in components], dim)  # stacked along dim
