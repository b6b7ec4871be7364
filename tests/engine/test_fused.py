"""The GPU's fewer kernels: ``backend.fused`` chains and col2im's one scatter-add give the plain NumPy values.

``backend.fused`` runs a function as itself on NumPy and as one ``cupy.fuse`` kernel on CuPy (on the strict stand-in,
as itself on device arrays, counted as one kernel).  Each fused function of the library is checked here against
the same lines run by NumPy on host copies, in float32 and float64: same values, same dtype (a fused kernel that
promoted a float32 chain to float64 would fail), and the same in-place updates.  On a GPU the ``cupy`` runs are the
real check; ``benchmarks/kernel_counts.py`` prints the counts before and after.
"""

import numpy as np
import pytest
import strict_backend

import minigan
import minigan.functional as F
from minigan import optim
from minigan.engine import backend
from minigan.engine.ops import activation, loss, norm
from minigan.optim import adam, optimistic_adam, optimistic_sgd, sgd

SHAPE = (4, 3, 5, 2)


def _arrays(rng, dtype, *kinds):
    """Host arrays: "x" any value, "p" in (0, 1), "+" positive, "c" a per-channel (1, 3, 1, 1) array ("c+"
    positive), "v" a (3,) one."""
    make = {"x": lambda: rng.standard_normal(SHAPE) * 3, "p": lambda: rng.uniform(0.01, 0.99, SHAPE),
            "+": lambda: rng.uniform(0.1, 2.0, SHAPE), "c": lambda: rng.standard_normal((1, 3, 1, 1)),
            "c+": lambda: rng.uniform(0.1, 2.0, (1, 3, 1, 1)),
            "v": lambda: rng.standard_normal(3), "v+": lambda: rng.uniform(0.1, 2.0, 3)}
    return [make[k]().astype(dtype) for k in kinds]


# name → (fused function, kinds of the array arguments, the numbers after them, or a function of the dtype giving them)
CASES = {
    "stable_sigmoid": (activation._stable_sigmoid, "x", ()),
    "sigmoid_grad": (activation._sigmoid_grad, "xp", ()),
    "tanh_grad": (activation._tanh_grad, "xx", ()),
    "relu_grad": (activation._relu_grad, "xx", ()),
    "leaky_relu_grad": (activation._leaky_relu_grad, "xx", lambda dtype: (dtype(0.2), dtype(0.8))),  # as LeakyReLU
    "bce_with_logits": (loss._bce_with_logits, "xp", ()),
    "bce_with_logits_grad": (loss._bce_with_logits_grad, "xpx", ()),
    "squared_difference": (loss._squared_difference, "xx", ()),
    "mse_grad": (loss._mse_grad, "xxx", ()),
    "batch_norm_dx": (norm._batch_norm_dx, ["x", "x", "c", "c", "c+", "c"], (7.0,)),
    "affine": (norm._affine, "xcc", ()),
    "inverse_std": (norm._inverse_std, ["v+"], (1e-5,)),
    "update_running": (norm._update_running, ["v", "v+", "v", "v+"], (0.9, 0.1, 0.1 * 8 / 7)),
    "adam_step": (adam._adam_step, "x+x", (0.5, 0.5, 0.999, 0.001, 2e-4, 0.75, 0.002, 1e-8)),
    "adam_moments": (adam._adam_moments, "x+x", (0.9, 0.1, 0.999, 0.001)),
    "adam_direction": (adam._adam_direction, "x+", (1e-3, 0.19, 0.002, 1e-8)),
    "momentum": (sgd._momentum, "xx", (0.9, 0.7)),
    "nesterov_step": (sgd._nesterov_step, "xx", (0.9, 0.01)),
    "optimistic_adam_direction": (optimistic_adam._optimistic_adam_direction, "x+x",
                                  (0.5, 0.5, 0.9, 0.1, 0.75, 0.19, 1e-8)),
    "optimistic_step": (optimistic_adam._optimistic_step, "xx", (2e-3, 1e-3)),
    "optimistic_sgd_step": (optimistic_sgd._optimistic_sgd_step, "xx", (0.03,)),
}
TOLERANCE = {np.float32: dict(rtol=2e-6, atol=1e-6), np.float64: dict(rtol=1e-13, atol=1e-14)}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", list(CASES))
def test_fused_gives_the_plain_expression(xp_backend, name, dtype):
    fn, kinds, numbers = CASES[name]
    numbers = numbers(dtype) if callable(numbers) else numbers
    rng = np.random.default_rng(sorted(CASES).index(name))
    host = _arrays(rng, dtype, *kinds)
    device = [xp_backend.asarray(a) for a in host]
    expected = fn.__wrapped__(np, *[a.copy() for a in host], *numbers)  # the lines themselves, on NumPy
    expected_inputs = [a.copy() for a in host]
    fn.__wrapped__(np, *expected_inputs, *numbers)  # what the in-place lines leave in their arguments
    got = fn(xp_backend, *device, *numbers)
    assert (got is None) == (expected is None)
    if expected is not None:
        got = backend.asnumpy(got)
        assert got.dtype == expected.dtype == dtype, f"{name}: {got.dtype}, expected {dtype}"
        np.testing.assert_allclose(got, expected, **TOLERANCE[dtype])
    for i, (d, e) in enumerate(zip(device, expected_inputs)):  # in-place updates (m, v, running statistics)
        np.testing.assert_allclose(backend.asnumpy(d), e, **TOLERANCE[dtype], err_msg=f"{name}: argument {i}")


def test_fused_runs_the_function_itself_on_numpy_and_on_tensors():
    calls = []

    @backend.fused
    def double_plus(xp, a, b):
        calls.append(xp)
        return 2 * a + b

    a = np.arange(3.0)
    np.testing.assert_array_equal(double_plus(np, a, 1.0), [1.0, 3.0, 5.0])
    t = minigan.tensor([1.0, 2.0], requires_grad=True)
    y = double_plus(np, t, 1.0)  # Tensors: the same lines record a graph (create_graph backward passes)
    y.sum().backward()
    np.testing.assert_array_equal(t.grad.array, [2.0, 2.0])
    assert calls == [np, np] and double_plus.__name__ == "double_plus"


@pytest.mark.parametrize("kernel, stride, dilation", [((4, 4), (2, 2), (1, 1)), ((3, 3), (1, 1), (1, 1)),
                                                      ((3, 2), (2, 3), (2, 1)), ((1, 1), (1, 1), (1, 1)),
                                                      ((5, 3), (3, 1), (1, 2))])
def test_col2im_scatter_add_matches_the_strided_slices(xp_backend, kernel, stride, dilation):
    (kh, kw), (sh, sw), (dh, dw) = kernel, stride, dilation
    c, ho, wo, n = 3, 4, 5, 2
    hp, wp = (ho - 1) * sh + dh * (kh - 1) + 1, (wo - 1) * sw + dw * (kw - 1) + 1
    cols = np.random.default_rng(0).standard_normal((c, kh, kw, ho, wo, n))
    expected = np.zeros((c, hp, wp, n))  # the definition, one entry at a time
    for p, q, i, j in np.ndindex(kh, kw, ho, wo):
        expected[:, p * dh + i * sh, q * dw + j * sw] += cols[:, p, q, i, j]
    for _ in range(2):  # the second call reads the index kept for this geometry
        out = backend.add_windows(xp_backend.zeros((c, hp, wp, n)), xp_backend.asarray(cols), stride, dilation)
        np.testing.assert_allclose(backend.asnumpy(out), expected, rtol=1e-12, atol=1e-12)


# ----------------------------------------------------------------------------- kernels counted (strict stand-in)
def _counted(fn):
    with strict_backend.counting() as launches:
        fn()
    return sum(launches.values()), dict(launches)


@pytest.fixture
def device():
    with strict_backend.installed() as strict:
        minigan.use_backend("cupy")
        try:
            yield strict
        finally:
            minigan.use_backend("numpy")


@pytest.mark.parametrize("op", [F.sigmoid, F.tanh, F.relu, lambda x: F.leaky_relu(x, 0.2)])
def test_an_activation_backward_is_one_kernel(device, op):
    x = minigan.randn(8, 16, requires_grad=True)
    y = op(x)
    grad = minigan.randn(8, 16)
    n, launches = _counted(lambda: y.backward(grad))
    assert n == 1 and all(k.startswith("fused:") for k in launches), launches


@pytest.mark.parametrize("make", [lambda ps: optim.Adam(ps, lr=1e-3), lambda ps: optim.OptimisticAdam(ps, lr=1e-3)])
def test_an_adam_step_is_a_few_kernels_per_parameter(device, make):
    p = minigan.randn(6, 5, requires_grad=True)
    opt = make([p])
    for _ in range(3):
        p.grad = minigan.randn(6, 5)
        n, launches = _counted(opt.step)
    assert n <= 3, launches  # was 14 (Adam) and 16 (OptimisticAdam) one call per operator


def test_batch_norm_backward_works_its_factors_out_in_its_one_kernel(device):
    """Training batch norm's dx: the per-channel factors mean(dy), mean(dy·x̂)/σ and γ/σ are worked out inside the
    fused kernel, not as launches of their own.  Counted: the seed, x − μ, dy·(x − μ), the two sums, the second ·1/σ
    for dγ, the kernel, and the two copies into .grad; 9 (it had grown to 13 with the per-channel lines)."""
    x = minigan.randn(8, 4, 5, 5, requires_grad=True)
    bn = minigan.nn.BatchNorm2d(4).to("cuda")
    y = bn(x)
    n, launches = _counted(lambda: y.backward(minigan.randn(8, 4, 5, 5)))
    assert launches.get("fused:minigan_batch_norm_dx") == 1 and n <= 9, launches


def test_col2im_is_one_scatter_on_the_device(device):
    x = minigan.randn(2, 8, 7, 7)
    w = minigan.randn(8, 4, 4, 4)
    F.conv_transpose2d(x, w, stride=2, padding=1)
    n, launches = _counted(lambda: F.conv_transpose2d(x, w, stride=2, padding=1))
    assert launches.get("scatter_add") == 1 and launches.get("iadd", 0) == 0 and n <= 4, launches  # was 16 adds


def test_fused_values_on_the_device_match_numpy_through_a_training_step(device):
    """A DCGAN-style step (conv, batch norm, leaky ReLU, BCE, Adam) on the stand-in equals the same step on NumPy,
    to float32's rounding: the device's exp is not the host's to the last bit (strict_backend.ANOTHER_LIBM).  The
    convolution before batch norm has no bias, as in DCGAN: that bias's gradient is 0 up to rounding, and Adam,
    which divides by its root mean square, would turn the two machines' different rounding noise into ±lr steps."""
    def run(device_name):
        minigan.use_backend("numpy")
        minigan.manual_seed(0)  # the same weights for both: made on the CPU, then moved
        net = minigan.nn.Sequential(minigan.nn.ConvTranspose2d(3, 4, 4, 2, 1, bias=False), minigan.nn.BatchNorm2d(4),
                                    minigan.nn.LeakyReLU(0.2), minigan.nn.Conv2d(4, 1, 4, 2, 1), minigan.nn.Flatten())
        net = net.to(device_name)
        opt = optim.Adam(net.parameters(), lr=1e-2, betas=(0.5, 0.999))
        x = minigan.from_numpy(np.random.default_rng(1).standard_normal((5, 3, 6, 6)).astype(np.float32))
        x, target = x.to(device_name), minigan.ones(5, 36).to(device_name)
        for _ in range(3):
            opt.zero_grad()
            F.binary_cross_entropy_with_logits(net(x), target).backward()
            opt.step()
        return [backend.asnumpy(p.detach()) for p in net.parameters()] + [backend.asnumpy(net[1].running_var)]

    host, dev = run("cpu"), run("cuda")
    for a, b in zip(host, dev):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_a_chain_the_device_cannot_fuse_runs_op_by_op_with_a_warning(device, monkeypatch):
    def no_fusion(kernel_name=None):
        def wrap(fn):
            def kernel(*args):
                raise TypeError("not supported in a fused kernel")
            return kernel
        return wrap

    monkeypatch.setattr(device, "fuse", no_fusion)

    @backend.fused
    def twice(xp, a):
        return a * 2

    with pytest.warns(RuntimeWarning, match="twice: runs op by op"):
        out = twice(device, device.asarray(np.arange(3.0)))
    np.testing.assert_array_equal(backend.asnumpy(out), [0.0, 2.0, 4.0])
