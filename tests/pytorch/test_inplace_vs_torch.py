"""Random programs of out-of-place ops (elementwise, reductions, matmul, linear, conv2d, batch norm as F.batch_norm
and nn.BatchNorm, softmax, log_softmax, cat, stack, clamp, pow, where), views, detach, in-place updates (recorded
and under no_grad, on leaves and non-leaves) and indexed assignment, run under minigan and under PyTorch
(float64, the oracle), with the in-place forms of other methods (tanh_, lerp_, addcmul_, ...).

The rule: where PyTorch returns values and gradients, minigan returns the same; where PyTorch raises,
minigan raises too (a RuntimeError, ValueError, TypeError or IndexError), at the same step.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

ERRORS = (RuntimeError, ValueError, TypeError, IndexError)

# Each step: (name, how many tensors it reads, what it does given the library (minigan or torch) and the tensors).
BINARY = {
    "add": lambda lib, a, b: a + b, "sub": lambda lib, a, b: a - b,
    "mul": lambda lib, a, b: a * b, "div": lambda lib, a, b: a / (b * b + 1.0),
}
UNARY = {
    "exp": lambda lib, a: (a * 0.1).exp(), "neg": lambda lib, a: -a, "tanh": lambda lib, a: a.tanh(),
    "relu": lambda lib, a: a.relu(), "scale": lambda lib, a: a * 2.0, "sum": lambda lib, a: a.sum(),
    "sigmoid": lambda lib, a: a.sigmoid(), "square": lambda lib, a: a * a,
    "clone": lambda lib, a: a.clone(), "detach": lambda lib, a: a.detach(),
}

def _fn(lib):
    return minigan.nn.functional if lib is minigan else torch.nn.functional


def _kernel(b):  # a 1x1x2x2 convolution kernel made (differentiably) from b's first four values
    return b.reshape(-1)[:4].reshape(1, 1, 2, 2)


def _batch_norm(lib, a, b, training):
    c = a.shape[1]
    affine = tuple(b.shape) == (c,)
    running = [lib.tensor(np.linspace(-0.5, 0.5, c)), lib.tensor(np.linspace(0.5, 1.5, c))]
    return _fn(lib).batch_norm(a, *running, weight=b if affine else None, bias=b * 0.5 if affine else None,
                               training=training)


def _batch_norm_module(lib, a, training):
    """nn.BatchNorm1d (2-D, 3-D input) or nn.BatchNorm2d (4-D), float64, in training or evaluation mode."""
    module = (lib.nn.BatchNorm2d if a.ndim == 4 else lib.nn.BatchNorm1d)(a.shape[1]).double()
    return module.train(training)(a)


# The library's layers and combinators: name: (does it apply to (a, b)?, the op).
LAYERS = {
    "matmul": (lambda a, b: a.ndim >= 1 and b.ndim >= 1 and a.shape[-1] == b.shape[-1],
               lambda lib, a, b: a @ (b.t() if b.ndim == 2 else b)),
    "linear": (lambda a, b: a.ndim >= 1 and b.ndim in (1, 2) and a.shape[-1] == b.shape[-1],
               lambda lib, a, b: _fn(lib).linear(a, b if b.ndim == 2 else b.unsqueeze(0))),
    "conv2d": (lambda a, b: a.ndim == 4 and a.shape[1] == 1 and b.numel() >= 4,
               lambda lib, a, b: _fn(lib).conv2d(a, _kernel(b), padding=1)),
    "bn_train": (lambda a, b: a.ndim >= 2 and a.numel() > a.shape[1], lambda lib, a, b: _batch_norm(lib, a, b, True)),
    "bn_eval": (lambda a, b: a.ndim >= 2, lambda lib, a, b: _batch_norm(lib, a, b, False)),
    "bn_module": (lambda a, b: a.ndim in (2, 3, 4) and a.numel() > a.shape[1],
                  lambda lib, a, b: _batch_norm_module(lib, a, True)),
    "bn_module_eval": (lambda a, b: a.ndim in (2, 3, 4), lambda lib, a, b: _batch_norm_module(lib, a, False)),
    "softmax": (lambda a, b: a.ndim >= 1, lambda lib, a, b: _fn(lib).softmax(a, dim=-1)),
    "log_softmax": (lambda a, b: a.ndim >= 1, lambda lib, a, b: _fn(lib).log_softmax(a, dim=0)),
    "cat": (lambda a, b: a.ndim >= 1 and a.ndim == b.ndim and a.shape[1:] == b.shape[1:],
            lambda lib, a, b: lib.cat([a, b, a])),
    "stack": (lambda a, b: a.shape == b.shape, lambda lib, a, b: lib.stack([a, b], 1 if a.ndim else 0)),
    "clamp": (lambda a, b: True, lambda lib, a, b: a.clamp(-0.5, 0.5)),
    "clamp_min": (lambda a, b: True, lambda lib, a, b: lib.clamp(a, min=0.1)),
    "pow2": (lambda a, b: True, lambda lib, a, b: a ** 2),
    "pow_half": (lambda a, b: True, lambda lib, a, b: (a * a + 1.0) ** 0.5),
    "pow_tensor": (lambda a, b: _into(b, a),
                   lambda lib, a, b: (a * a + 1.0) ** b),
    "where": (lambda a, b: _into(a, b),
              lambda lib, a, b: lib.where(a > 0, a, b)),
    "to4d": (lambda a, b: a.ndim == 2, lambda lib, a, b: a.reshape(1, 1, *a.shape)),
}
VIEWS = {  # name: (the ndim it needs at least, the view)
    "row0": (1, lambda a: a[0]), "tail": (1, lambda a: a[1:]), "col1": (2, lambda a: a[:, 1]),
    "elem": (2, lambda a: a[1, 0]), "flat": (0, lambda a: a.reshape(-1)), "t": (2, lambda a: a.t()),
    "unsq": (0, lambda a: a.unsqueeze(0)),
}
IN_PLACE = {  # name: (reads an operand tensor?, the op)
    "add_": (True, lambda a, b: a.add_(b)), "sub_": (True, lambda a, b: a.sub_(b)),
    "mul_": (True, lambda a, b: a.mul_(b)), "div_": (True, lambda a, b: a.div_(b * b + 1.0)),
    "copy_": (True, lambda a, b: a.copy_(b)), "iadd": (True, lambda a, b: a.__iadd__(b)),
    "mul_s": (False, lambda a, b: a.mul_(0.5)), "add_s": (False, lambda a, b: a.add_(1.5)),
    "zero_": (False, lambda a, b: a.zero_()), "fill_": (False, lambda a, b: a.fill_(0.25)),
    "clamp_": (False, lambda a, b: a.clamp_(-0.5, 0.5)),
    "set0": (True, lambda a, b: a.__setitem__(0, b)), "set0s": (False, lambda a, b: a.__setitem__(0, 2.0)),
    "setsl": (True, lambda a, b: a.__setitem__((slice(1, None),), b)),
    "setmask": (False, lambda a, b: a.__setitem__(a > 0, 0.0)),
    # the in-place forms of other methods (minigan/_tensor_inplace.py)
    "tanh_": (False, lambda a, b: a.tanh_()), "sigmoid_": (False, lambda a, b: a.sigmoid_()),
    "relu_": (False, lambda a, b: a.relu_()), "neg_": (False, lambda a, b: a.neg_()),
    "square_": (False, lambda a, b: a.square_()), "clamp_min_": (False, lambda a, b: a.clamp_min_(0.1)),
    "pow_": (False, lambda a, b: a.pow_(3)), "masked_fill_": (False, lambda a, b: a.masked_fill_(a < 0, 0.5)),
    "lerp_": (True, lambda a, b: a.lerp_(b, 0.25)), "addcmul_": (True, lambda a, b: a.addcmul_(b, b, value=0.5)),
    "addcdiv_": (True, lambda a, b: a.addcdiv_(b, b * b + 1.0, value=2)), "hypot_": (True, lambda a, b: a.hypot_(b)),
}


def _broadcasts(target, operand):
    try:
        return np.broadcast_shapes(target, operand) == tuple(target)
    except ValueError:
        return False


def _into(a, b):
    """Does a's shape hold the broadcast of a and b?"""
    try:
        return _broadcasts(tuple(a.shape), tuple(b.shape))
    except ValueError:
        return False


def _steps(data, n):
    """Draw a program: a list of steps (kind, name, indices...) resolved against the pool as it grows."""
    program = []
    for _ in range(n):
        kind = data.draw(st.sampled_from(["binary", "unary", "layer", "view", "inplace", "inplace_nograd"]))
        names = {"binary": BINARY, "unary": UNARY, "layer": LAYERS, "view": VIEWS}.get(kind, IN_PLACE)
        program.append((kind, data.draw(st.sampled_from(sorted(names))), data.draw(st.integers(0, 99)),
                        data.draw(st.integers(0, 99))))
    return program


def _start(lib, seed):
    rng = np.random.default_rng(seed)
    values = [rng.normal(size=(2, 3)), rng.normal(size=(3,)), rng.normal(size=(2, 3))]
    make = (lambda v, g: minigan.tensor(v, requires_grad=g)) if lib is minigan else \
        (lambda v, g: torch.tensor(v, requires_grad=g))
    return [make(values[0], True), make(values[1], True), make(values[2], False)]


def _run(lib, program, seed):
    """Run ``program``; returns ('ok', values, grads) or ('raised', step, error)."""
    pool = _start(lib, seed)
    leaves = pool[:2]
    no_grad = minigan.no_grad if lib is minigan else torch.no_grad
    for step, (kind, name, i, j) in enumerate(program):
        a, b = pool[i % len(pool)], pool[j % len(pool)]
        try:
            if kind == "binary":
                if not _broadcasts(np.broadcast_shapes(tuple(a.shape), tuple(b.shape)), tuple(b.shape)) and \
                        not _broadcasts(tuple(b.shape), tuple(a.shape)) and \
                        not _broadcasts(tuple(a.shape), tuple(b.shape)):
                    continue
                pool.append(BINARY[name](lib, a, b))
            elif kind == "unary":
                pool.append(UNARY[name](lib, a))
            elif kind == "layer":
                applies, layer = LAYERS[name]
                if not applies(a, b):
                    continue
                pool.append(layer(lib, a, b))
            elif kind == "view":
                ndim, view = VIEWS[name]
                if a.ndim < ndim or (a.ndim and a.shape[0] < 2 and name in ("tail",)):
                    continue
                pool.append(view(a))
            else:
                reads, op = IN_PLACE[name]
                if name.startswith("set") and a.ndim == 0:
                    continue
                if reads and name in ("set0", "setsl"):
                    place = tuple(a[0].shape) if name == "set0" else tuple(a[1:].shape)
                    if not _broadcasts(place, tuple(b.shape)):
                        continue
                elif reads and not _broadcasts(tuple(a.shape), tuple(b.shape)):
                    continue
                if kind == "inplace_nograd":
                    with no_grad():
                        op(a, b)
                else:
                    op(a, b)
        except ERRORS as e:
            return ("raised", step, f"{type(e).__name__}: {e}")
    outs = [t for t in pool[2:] if t.requires_grad]
    try:
        if outs:
            loss = sum((t * (k + 1.0)).sum() for k, t in enumerate(outs))
            loss.backward()
    except ERRORS as e:
        return ("raised", len(program), f"{type(e).__name__}: {e}")
    values = [np.asarray(t.detach().numpy(), dtype=np.float64) for t in pool]
    grads = [None if t.grad is None else np.asarray(t.grad.detach().numpy()) for t in leaves]
    return ("ok", values, grads)


def _compare(program, seed):
    with np.errstate(all="ignore"):
        ours, theirs = _run(minigan, program, seed), _run(torch, program, seed)
    if theirs[0] == "raised":
        assert ours[0] == "raised", f"PyTorch raised at step {theirs[1]} ({theirs[2]}), minigan ran: {program}"
        assert ours[1] == theirs[1], f"PyTorch raised at step {theirs[1]}, minigan at {ours[1]}: {program}\n{ours[2]}"
        return "raised"
    assert ours[0] == "ok", f"minigan raised at step {ours[1]} ({ours[2]}), PyTorch ran: {program}"
    for k, (u, v) in enumerate(zip(ours[1], theirs[1])):
        np.testing.assert_allclose(u, v, rtol=1e-10, atol=1e-12, err_msg=f"value of tensor {k}: {program}")
    for k, (u, v) in enumerate(zip(ours[2], theirs[2])):
        assert (u is None) == (v is None), f"leaf {k}: grad {u} vs PyTorch {v}: {program}"
        if u is not None:
            np.testing.assert_allclose(u, v, rtol=1e-10, atol=1e-12, err_msg=f"grad of leaf {k}: {program}")
    return "ok"


@settings(max_examples=60, deadline=None)
@given(data=st.data(), seed=st.integers(0, 2**16))
def test_random_programs_match_pytorch(data, seed):
    _compare(_steps(data, data.draw(st.integers(1, 8))), seed)


@pytest.mark.slow
def test_many_random_programs_match_pytorch():
    """At least 400 programs that PyTorch runs and 400 that it refuses, each compared with minigan."""
    counts = {"ok": 0, "raised": 0}

    @settings(max_examples=3000, deadline=None, database=None)
    @given(data=st.data(), seed=st.integers(0, 2**16))
    def check(data, seed):
        counts[_compare(_steps(data, data.draw(st.integers(1, 10))), seed)] += 1

    check()
    print("programs compared with PyTorch:", counts)
    assert counts["ok"] >= 400 and counts["raised"] >= 400, counts


# In-place on a view whose chain reshapes a transposed/permuted tensor: the base's gradient must be masked
# exactly where the view wrote (CopySlices), whatever the base's memory layout.
BASES = {  # how the base (a non-leaf, so the in-place op is recorded) is made from the leaf x of shape (2, 3, 4)
    "contiguous": lambda x: x * 1.0,
    "permuted": lambda x: x.permute(2, 0, 1) * 1.0,  # an elementwise result keeps the permuted layout
    "transposed": lambda x: x.transpose(0, 2) * 1.0,
}
CHAINS = {  # a view of the base through transpose/permute then reshape/view
    "t_reshape": lambda b: b.transpose(0, 1).reshape(-1),
    "perm_reshape_rows": lambda b: b.permute(2, 1, 0).reshape(b.shape[2], -1)[1:],
    "perm_flat_step": lambda b: b.permute(1, 2, 0).reshape(-1)[::3],
    "perm_unsq_col": lambda b: b.permute(1, 0, 2).unsqueeze(0)[0, :, 1],
    "flat_then_t": lambda b: b.reshape(b.shape[0], -1).t()[2:5],
}


@pytest.mark.parametrize("base", sorted(BASES))
@pytest.mark.parametrize("chain", sorted(CHAINS))
@pytest.mark.parametrize("op", ["mul_", "add_", "zero_", "copy_"])
def test_inplace_on_reshaped_view_of_permuted_base(base, chain, op):
    def run(lib):
        rng = np.random.default_rng(0)
        x = lib.tensor(rng.normal(size=(2, 3, 4)), requires_grad=True)
        w = lib.tensor(rng.normal(size=(2, 3, 4)), requires_grad=True)
        b = BASES[base](x)
        try:
            v = CHAINS[chain](b)
        except ERRORS as e:  # .view of a layout that needs a copy: both refuse
            return ("raised", type(e).__name__)
        src = w.reshape(-1)[: v.numel()].reshape(v.shape) * 2.0
        {"mul_": lambda: v.mul_(src), "add_": lambda: v.add_(src), "zero_": v.zero_,
         "copy_": lambda: v.copy_(src)}[op]()
        weights = lib.tensor(np.arange(b.numel(), dtype=np.float64).reshape(b.shape))
        ((b * weights).sum() + (v * v).sum()).backward()
        return ("ok", b.detach().numpy().copy(), v.detach().numpy().copy(), x.grad.detach().numpy(),
                None if w.grad is None else w.grad.detach().numpy())

    ours, theirs = run(minigan), run(torch)
    assert ours[0] == theirs[0]
    for u, t in zip(ours[1:], theirs[1:]):
        assert (u is None) == (t is None)
        if u is not None:
            np.testing.assert_allclose(u, t, rtol=1e-12, atol=1e-12)


# Programs on which minigan once differed from PyTorch (shrunk), each compared again.
REGRESSIONS = [
    ([("layer", "pow_tensor", 0, 2), ("inplace_nograd", "mul_", 3, 0)], 1),  # tensor ** tensor saves its output
    ([("layer", "to4d", 0, 0), ("layer", "conv2d", 3, 2), ("inplace_nograd", "mul_", 0, 0)], 1),  # conv saves x
    ([("layer", "matmul", 0, 2), ("inplace_nograd", "mul_", 0, 0)], 1),  # x @ c.t() does not keep x for x's grad
    ([("view", "row0", 1, 0), ("layer", "where", 3, 3)], 1),  # a 0-d comparison as where's condition
    ([("unary", "square", 2, 0), ("binary", "sub", 1, 1), ("view", "tail", 2, 0), ("inplace", "set0", 5, 4),
      ("inplace", "setmask", 5, 0)], 2249),  # x[0] = v on a view leaves the view's history to be asked for
    ([("unary", "detach", 0, 0), ("layer", "to4d", 0, 0), ("inplace_nograd", "set0", 4, 3)], 1),  # full overlap
    ([("view", "row0", 1, 0), ("view", "flat", 3, 0), ("inplace_nograd", "add_", 4, 3)], 1),  # partial overlap
    ([("view", "unsq", 8, 0), ("inplace", "add_", 3, 0), ("binary", "add", 0, 0), ("inplace", "add_", 3, 0),
      ("inplace", "add_", 0, 0)], 0),  # a view changed in place takes its history at once (not a leaf after)
    ([("binary", "add", 0, 0), ("inplace", "hypot_", 3, 2), ("inplace", "add_", 2, 0)], 0),  # hypot keeps only
    # what its gradients read: a constant operand may change afterwards
    ([("view", "elem", 2, 0), ("binary", "add", 0, 0), ("inplace", "setsl", 52, 58)], 0),  # x[1:] = x[1, 0]: a
    # broadcast value is read before the write, as PyTorch's expanded copy
    ([("layer", "to4d", 2, 0), ("view", "unsq", 3, 0), ("layer", "bn_eval", 4, 0)], 0),  # batch norm of (N, C, ...)
]


@pytest.mark.parametrize("program, seed", REGRESSIONS)
def test_programs_that_once_differed_from_pytorch(program, seed):
    _compare(program, seed)
