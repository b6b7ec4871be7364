"""conv2d / conv_transpose2d against naive loops, the adjoint identity (and the weight gradient's op closing the
family), gradcheck and the full Jacobian of a small case, no gradient to the first layer's input, float32 kept, a frozen
weight, and clear errors for bad inputs; on each backend.

(Its comparisons with PyTorch: tests/pytorch/test_conv.py.)"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minigan
import minigan.functional as F
from minigan.engine.errors import ShapeError
from minigan.surface import random


# ----------------------------------------------------------------------------- naive references (float64)
def naive_conv2d(x, w, b, stride, padding):
    """Six nested loops, straight from the definition."""
    n, c, h, wd = x.shape
    o, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    ho, wo = (h + 2 * padding - kh) // stride + 1, (wd + 2 * padding - kw) // stride + 1
    out = np.zeros((n, o, ho, wo))
    for i in range(ho):
        for j in range(wo):
            patch = xp[:, :, i * stride : i * stride + kh, j * stride : j * stride + kw]
            out[:, :, i, j] = np.einsum("ncpq,ocpq->no", patch, w)
    return out if b is None else out + b[None, :, None, None]


def naive_conv_transpose2d(x, w, b, stride, padding):
    """Scatter every input pixel times the kernel into the (padded) output, then crop."""
    n, c_in, h, wd = x.shape
    _, c_out, kh, kw = w.shape
    hp, wp = (h - 1) * stride + kh, (wd - 1) * stride + kw
    out = np.zeros((n, c_out, hp, wp))
    for i in range(h):
        for j in range(wd):
            out[:, :, i * stride : i * stride + kh, j * stride : j * stride + kw] += np.einsum(
                "nc,copq->nopq", x[:, :, i, j], w
            )
    out = out[:, :, padding : hp - padding, padding : wp - padding]
    return out if b is None else out + b[None, :, None, None]


def _t(a, xp, requires_grad=False):
    return minigan.tensor(xp.asarray(a), requires_grad=requires_grad)


# ----------------------------------------------------------------------------- geometry strategy
@st.composite
def conv_geometry(draw):
    k = draw(st.integers(1, 5))
    stride = draw(st.integers(1, 3))
    padding = draw(st.integers(0, 2))
    h = draw(st.integers(max(1, k - 2 * padding), 9))
    w = draw(st.integers(max(1, k - 2 * padding), 9))
    return dict(n=draw(st.integers(1, 3)), c=draw(st.integers(1, 3)), o=draw(st.integers(1, 3)),
                h=h, w=w, k=k, stride=stride, padding=padding, seed=draw(st.integers(0, 2**16)))


@settings(max_examples=30, deadline=None, derandomize=True)
@given(conv_geometry())
def test_conv2d_matches_naive_loops(g):
    rng = np.random.default_rng(g["seed"])
    x = rng.standard_normal((g["n"], g["c"], g["h"], g["w"]))
    w = rng.standard_normal((g["o"], g["c"], g["k"], g["k"]))
    b = rng.standard_normal(g["o"])
    got = F.conv2d(minigan.tensor(x), minigan.tensor(w), minigan.tensor(b), g["stride"], g["padding"])
    np.testing.assert_allclose(got.detach().numpy(), naive_conv2d(x, w, b, g["stride"], g["padding"]), atol=1e-10)


@settings(max_examples=30, deadline=None, derandomize=True)
@given(conv_geometry())
def test_conv_transpose2d_matches_naive_loops(g):
    rng = np.random.default_rng(g["seed"])
    h, w_, s, p = g["h"], g["w"], g["stride"], g["padding"]
    if (h - 1) * s - 2 * p + g["k"] < 1 or (w_ - 1) * s - 2 * p + g["k"] < 1:
        return
    x = rng.standard_normal((g["n"], g["c"], h, w_))
    w = rng.standard_normal((g["c"], g["o"], g["k"], g["k"]))
    b = rng.standard_normal(g["o"])
    got = F.conv_transpose2d(minigan.tensor(x), minigan.tensor(w), minigan.tensor(b), s, p)
    np.testing.assert_allclose(got.detach().numpy(), naive_conv_transpose2d(x, w, b, s, p), atol=1e-10)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(conv_geometry())
def test_adjoint_identity(g):
    """⟨conv2d(x, w), y⟩ = ⟨x, conv_transpose2d(y, w)⟩ for every geometry."""
    rng = np.random.default_rng(g["seed"])
    x = rng.standard_normal((g["n"], g["c"], g["h"], g["w"]))
    w = rng.standard_normal((g["o"], g["c"], g["k"], g["k"]))
    conv = F.conv2d(minigan.tensor(x), minigan.tensor(w), stride=g["stride"], padding=g["padding"]).detach().numpy()
    y = rng.standard_normal(conv.shape)
    lhs = float((conv * y).sum())
    # conv2d's floor may drop up to stride−1 rows; output_padding gives them back
    out_pad = tuple((n + 2 * g["padding"] - g["k"]) % g["stride"] for n in (g["h"], g["w"]))
    back = F.conv_transpose2d(minigan.tensor(y), minigan.tensor(w), stride=g["stride"], padding=g["padding"],
                              output_padding=out_pad)
    assert back.shape == x.shape
    rhs = float((x * back.detach().numpy()).sum())
    assert lhs == pytest.approx(rhs, rel=1e-9, abs=1e-9)


@settings(max_examples=30, deadline=None, derandomize=True)
@given(conv_geometry())
def test_weight_gradient_op_closes_the_family(g):
    """Cw(x, y) = ∂⟨conv2d(x, w), y⟩/∂w, and ⟨Cw(x, y), h⟩ = ⟨conv2d(x, h), y⟩ = ⟨x, conv_transpose2d(y, h)⟩."""
    from minigan.engine.ops.conv import Conv2d, Conv2dWeight, ConvTranspose2d

    rng = np.random.default_rng(g["seed"])
    s, p, k = (g["stride"],) * 2, (g["padding"],) * 2, (g["k"], g["k"])
    x = rng.standard_normal((g["n"], g["c"], g["h"], g["w"]))
    h = rng.standard_normal((g["o"], g["c"], g["k"], g["k"]))
    conv = Conv2d.apply(x, h, stride=s, padding=p)  # plain arrays: the ops only compute
    y = rng.standard_normal(conv.shape)
    cw = Conv2dWeight.apply(x, y, kernel_size=k, stride=s, padding=p)
    out_pad = tuple((n + 2 * g["padding"] - g["k"]) % g["stride"] for n in (g["h"], g["w"]))
    ct = ConvTranspose2d.apply(y, h, stride=s, padding=p, output_padding=out_pad)
    assert cw.shape == h.shape and ct.shape == x.shape
    assert float((cw * h).sum()) == pytest.approx(float((conv * y).sum()), rel=1e-9, abs=1e-9)
    assert float((x * ct).sum()) == pytest.approx(float((conv * y).sum()), rel=1e-9, abs=1e-9)
    w = minigan.tensor(h, requires_grad=True)
    F.conv2d(minigan.tensor(x), w, stride=g["stride"], padding=g["padding"]).backward(y)
    np.testing.assert_allclose(w.grad.detach().numpy(), cw, atol=1e-10)


# ----------------------------------------------------------------------------- gradients
@pytest.mark.parametrize("stride,padding", [(1, 0), (2, 1), (3, 2), ((2, 1), (0, 1))])
def test_conv2d_gradcheck(xp_backend, stride, padding):
    rng = np.random.default_rng(1)
    x = _t(rng.standard_normal((2, 2, 6, 5)), xp_backend, True)
    w = _t(rng.standard_normal((3, 2, 3, 2)), xp_backend, True)
    b = _t(rng.standard_normal(3), xp_backend, True)
    assert minigan.gradcheck(lambda x, w, b: F.conv2d(x, w, b, stride, padding), (x, w, b))


@pytest.mark.parametrize("stride,padding", [(1, 0), (2, 1), (3, 2), ((1, 2), (1, 0))])
def test_conv_transpose2d_gradcheck(xp_backend, stride, padding):
    rng = np.random.default_rng(2)
    x = _t(rng.standard_normal((2, 2, 4, 3)), xp_backend, True)
    w = _t(rng.standard_normal((2, 3, 3, 3)), xp_backend, True)
    b = _t(rng.standard_normal(3), xp_backend, True)
    assert minigan.gradcheck(lambda x, w, b: F.conv_transpose2d(x, w, b, stride, padding), (x, w, b))


def test_small_full_jacobian_gradcheck():
    """Small enough for the full Jacobian, not just random directions."""
    rng = np.random.default_rng(3)
    x = minigan.tensor(rng.standard_normal((1, 1, 4, 4)), requires_grad=True)
    w = minigan.tensor(rng.standard_normal((1, 1, 2, 2)), requires_grad=True)
    assert minigan.gradcheck(lambda x, w: F.conv2d(x, w, stride=2, padding=1), (x, w))
    assert minigan.gradcheck(lambda x, w: F.conv_transpose2d(x, w, stride=2, padding=1), (x, w))


def test_first_layer_input_gets_no_gradient_and_float32_stays(xp_backend):
    x = minigan.tensor(random.randn((4, 1, 8, 8), xp=xp_backend))  # data: no requires_grad
    w = minigan.tensor(random.randn((5, 1, 4, 4), xp=xp_backend), requires_grad=True)
    y = F.conv2d(x, w, stride=2, padding=1)
    assert y.dtype == np.float32 and y.shape == (4, 5, 4, 4)
    y.sum().backward()
    assert x.grad is None and w.grad.dtype == np.float32 and w.grad.shape == w.shape
    wt = minigan.tensor(random.randn((5, 2, 4, 4), xp=xp_backend), requires_grad=True)
    z = F.conv_transpose2d(y.detach(), wt, stride=2, padding=1)
    assert z.dtype == np.float32 and z.shape == (4, 2, 8, 8)
    z.sum().backward()
    assert wt.grad.dtype == np.float32


def test_frozen_weight_still_gives_input_gradient(xp_backend):
    x = minigan.tensor(random.randn((2, 3, 5, 5), dtype=np.float64, xp=xp_backend), requires_grad=True)
    w = minigan.tensor(random.randn((4, 3, 3, 3), dtype=np.float64, xp=xp_backend))
    assert minigan.gradcheck(lambda x: F.conv2d(x, w, padding=1), (x,))
    wt = minigan.tensor(random.randn((3, 2, 3, 3), dtype=np.float64, xp=xp_backend))
    assert minigan.gradcheck(lambda x: F.conv_transpose2d(x, wt, stride=2), (x,))


# ----------------------------------------------------------------------------- errors
def test_bad_inputs_raise_clear_errors():
    x = minigan.randn(2, 3, 8, 8)
    with pytest.raises(ShapeError, match=r"conv2d.*4-D.*\(8, 8\)"):  # ((3, 8, 8) is one image, as PyTorch)
        F.conv2d(minigan.randn(8, 8), minigan.randn(4, 3, 3, 3))
    with pytest.raises(ShapeError, match=r"conv2d.*weight must be 4-D.*\(4, 3, 3\)"):
        F.conv2d(x, minigan.randn(4, 3, 3))
    with pytest.raises(ShapeError, match=r"\(2, 3, 8, 8\).*\(4, 2, 3, 3\)"):
        F.conv2d(x, minigan.randn(4, 2, 3, 3))
    with pytest.raises(ShapeError, match=r"kernel 9×9.*larger than the padded input 8×8"):
        F.conv2d(x, minigan.randn(4, 3, 9, 9))
    with pytest.raises(ValueError, match="conv2d: stride must be >= 1"):
        F.conv2d(x, minigan.randn(4, 3, 3, 3), stride=0)
    with pytest.raises(ValueError, match="conv2d: padding must be >= 0"):
        F.conv2d(x, minigan.randn(4, 3, 3, 3), padding=-1)
    with pytest.raises(TypeError, match="conv2d: stride must be an int"):
        F.conv2d(x, minigan.randn(4, 3, 3, 3), stride=1.5)
    with pytest.raises(ShapeError, match=r"conv2d: bias has shape \(3,\), expected \(4,\)"):
        F.conv2d(x, minigan.randn(4, 3, 3, 3), minigan.randn(3))
    with pytest.raises(ShapeError, match=r"conv_transpose2d.*\(2, 3, 8, 8\).*\(4, 3, 3, 3\)"):
        F.conv_transpose2d(x, minigan.randn(4, 3, 3, 3))
    with pytest.raises(ShapeError, match="conv_transpose2d: output would be"):
        F.conv_transpose2d(minigan.randn(1, 3, 1, 1), minigan.randn(3, 2, 2, 2), padding=2)
    with pytest.raises(ValueError, match="output_padding .* must be smaller than stride"):
        F.conv_transpose2d(x, minigan.randn(3, 2, 2, 2), stride=2, output_padding=2)
    with pytest.raises(TypeError, match="conv2d: input is minigan.int64 but the weight is minigan.float32"):
        F.conv2d(minigan.tensor(np.ones((1, 1, 3, 3), dtype=np.int64)), minigan.randn(1, 1, 2, 2))
    with pytest.raises(NotImplementedError, match="conv2d: not implemented for minigan.bool input"):
        F.conv2d(minigan.ones(1, 1, 3, 3, dtype=minigan.bool), minigan.ones(1, 1, 2, 2, dtype=minigan.bool))
