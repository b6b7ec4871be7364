"""The convolutions with an empty batch or channel axis against PyTorch: an empty result of the right shape, zero
gradients of the weight's and bias's shapes, at first and second order, over generated geometries (stride, padding,
'same', dilation, groups, output_padding, one sample); and PyTorch's refusals of an input with no pixels (a batch
and channels but a 0 height or width), a weight with no rows, and an empty transposed weight.  PyTorch gives an input
with no channels an output with no channels (its empty path keeps the input's channel count).  Found by the surface
programs (an empty batch crashed in the engine's reshape(-1), seeds 11623380 and 11646649)."""

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402
import minigan.functional as MF  # noqa: E402


def _geometry(rng, nd, transposed):
    groups = int(rng.choice([1, 2]))
    cin, cout = groups * int(rng.integers(1, 3)), groups * int(rng.integers(1, 3))
    k = [int(rng.integers(1, 4)) for _ in range(nd)]
    s = [int(rng.integers(1, 3)) for _ in range(nd)]
    d = [int(rng.integers(1, 3)) for _ in range(nd)]
    kw = {"stride": s, "dilation": d, "groups": groups}
    if transposed:
        kw["padding"] = [int(rng.integers(0, di * (ki - 1) // 2 + 1)) for ki, di in zip(k, d)]
        kw["output_padding"] = [int(rng.integers(0, max(si, di))) for si, di in zip(s, d)]
        w = (cin, cout // groups, *k)
    elif rng.random() < 0.25:
        kw["padding"], kw["stride"] = "same", 1
        w = (cout, cin // groups, *k)
    else:
        kw["padding"] = [int(rng.integers(0, 3)) for _ in range(nd)]
        w = (cout, cin // groups, *k)
    size = [max(di * (ki - 1) + 1 - 2 * (pi if isinstance(pi, int) else 0), 1) + int(rng.integers(0, 3))
            for ki, di, pi in zip(k, d, kw["padding"] if not isinstance(kw["padding"], str) else [0] * nd)]
    return cin, cout, size, w, kw


def _cases():
    rng = np.random.default_rng(2026)
    names = [("conv1d", 1, False), ("conv2d", 2, False), ("conv_transpose1d", 1, True), ("conv_transpose2d", 2, True)]
    for i in range(120):
        name, nd, transposed = names[i % 4]
        cin, cout, size, w, kw = _geometry(rng, nd, transposed)
        empty = ["batch", "channels", "both", "one sample", "pixels and batch"][(i // 4) % 5]
        if transposed and empty in ("channels", "both", "one sample"):
            empty = "batch"  # (a transposed weight's first axis is the input's channels: PyTorch refuses 0)
        if empty == "pixels and batch" and (transposed or kw["padding"] == "same" or 0 in kw["padding"]):
            empty = "batch"  # (no pixels are allowed only where the padding makes room for the kernel)
        n = 0 if empty in ("batch", "both", "pixels and batch") else 2
        if empty in ("channels", "both", "one sample"):
            cin, w = 0, (w[0], 0, *w[2:])
            kw["groups"] = 1
            if w[0] == 0:
                w = (1, *w[1:])
        x = (cin, *size) if empty == "one sample" else (n, cin, *size)
        if empty == "pixels and batch":
            x = (0, cin, 0, *size[1:])
        yield pytest.param(name, x, w, (cout if transposed else w[0]) if i % 3 else None, kw,
                           id=f"{i}-{name}-{empty}")


def _run(lib, name, x_shape, w_shape, b_size, kw, second_order):
    rng = np.random.default_rng(0)
    t = [lib.tensor(rng.standard_normal(s), requires_grad=True) for s in (x_shape, w_shape)]
    if b_size is not None:
        t.append(lib.tensor(rng.standard_normal(b_size), requires_grad=True))
    fn = getattr(MF if lib is minigan else torch.nn.functional, name)
    try:
        y = fn(*t, **kw)
    except RuntimeError as e:
        return type(e)
    autograd = (minigan if lib is minigan else torch).autograd
    try:
        grads = autograd.grad(y.sum(), t, create_graph=second_order, allow_unused=True)
        used = [g for g in grads if g is not None and g.requires_grad] if second_order else []
        if used:
            grads = autograd.grad(sum(g.sum() for g in used), t, allow_unused=True)
    except RuntimeError:  # (PyTorch's backward of a channel-less input with a bias: a broadcast it cannot make)
        return tuple(y.shape), str(y.dtype).split(".")[-1], None
    return tuple(y.shape), str(y.dtype).split(".")[-1], [
        None if g is None else (tuple(g.shape), float(np.abs(g.detach().numpy()).sum())) for g in grads]


@pytest.mark.filterwarnings("ignore:Using padding='same'")  # (PyTorch's note on its padded copy)
@pytest.mark.parametrize("second_order", [False, True])
@pytest.mark.parametrize("name,x_shape,w_shape,b_size,kw", list(_cases()))
def test_empty_convolutions_as_pytorch(name, x_shape, w_shape, b_size, kw, second_order):
    theirs = _run(torch, name, x_shape, w_shape, b_size, kw, second_order)
    ours = _run(minigan, name, x_shape, w_shape, b_size, kw, second_order)
    if isinstance(theirs, type):
        assert isinstance(ours, type) and issubclass(ours, RuntimeError), (theirs, ours)
        return
    assert not isinstance(ours, type), f"minigan raised {ours.__name__} where PyTorch gave {theirs}"
    assert ours[:2] == theirs[:2]
    # zeros of each operand's shape (PyTorch may leave a gradient out, None, where minigan's is zeros)
    for i, (g_ours, shape) in enumerate(zip(ours[2], (x_shape, w_shape, (b_size,)))):
        assert theirs[2] is None or theirs[2][i] is None or g_ours == theirs[2][i], (ours[2], theirs[2])
        assert g_ours is None or g_ours == (tuple(shape), 0.0)


@pytest.mark.parametrize("name,x_shape,w_shape,kw", [
    ("conv2d", (2, 2, 0, 5), (3, 2, 1, 1), {"padding": 1}),  # pixels: none, with a batch and channels
    ("conv1d", (2, 2, 0), (3, 2, 1), {"padding": 1}),
    ("conv_transpose2d", (2, 2, 0, 5), (2, 3, 3, 3), {}),
    ("conv2d", (2, 2, 5, 5), (0, 2, 3, 3), {}),  # a weight with no rows (fewer than the groups)
    ("conv2d", (2, 0, 5, 5), (0, 0, 3, 3), {}),
    ("conv_transpose2d", (2, 0, 5, 5), (0, 3, 3, 3), {}),
    ("conv_transpose2d", (2, 2, 5, 5), (2, 0, 3, 3), {}),  # an empty transposed weight
    ("conv_transpose1d", (2, 2, 5), (2, 0, 3), {}),
])
def test_refused_as_pytorch(name, x_shape, w_shape, kw):
    with pytest.raises(RuntimeError):
        getattr(torch.nn.functional, name)(torch.zeros(x_shape), torch.zeros(w_shape), **kw)
    with pytest.raises(RuntimeError, match="empty|pixels|first axis"):
        getattr(MF, name)(minigan.zeros(x_shape), minigan.zeros(w_shape), **kw)


@pytest.mark.parametrize("layer,x_shape,kw", [
    ("Conv2d", (0, 2, 5, 5), {"kernel_size": 3, "groups": 2, "padding": 1, "padding_mode": "reflect"}),
    ("Conv2d", (0, 2, 5, 5), {"kernel_size": 2, "padding": "same", "padding_mode": "circular"}),
    ("Conv1d", (0, 2, 5), {"kernel_size": 3, "padding": 1, "padding_mode": "replicate"}),
    ("ConvTranspose2d", (0, 2, 5, 5), {"kernel_size": 3, "stride": 2, "output_padding": 1}),
    ("ConvTranspose1d", (0, 2, 5), {"kernel_size": 3, "dilation": 2}),
])
def test_layers_on_an_empty_batch(layer, x_shape, kw):
    out = []
    for lib in (torch, minigan):
        m = getattr(lib.nn, layer)(2, 4, **kw, dtype=lib.float64)
        x = lib.zeros(x_shape, dtype=lib.float64, requires_grad=True)
        y = m(x)
        y.sum().backward()
        out.append((tuple(y.shape), tuple(m.weight.grad.shape), float(abs(m.weight.grad).sum()),
                    float(abs(m.bias.grad).sum()), tuple(x.grad.shape)))
    assert out[0] == out[1]
