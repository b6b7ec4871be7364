"""The nn surface against PyTorch (tests/pytorch/test_recorded_module_reprs.py compares every module class's repr with
PyTorch's recorded one, without PyTorch; that the record is PyTorch's: tests/pytorch/test_records_are_pytorchs.py): the
softmax modules' implicit dim, InstanceNorm1d/2d as two classes with PyTorch's input checks, and two optimizer idioms
(zero_grad(set_to_none=False) in place, a single Tensor as a group's params).

(Its torch-free tests: tests/library/test_nn_surface_repr.py.)"""

import warnings

import numpy as np
import pytest

import minigan
from minigan import nn

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def test_multihead_attention_out_proj_is_a_linear_named_as_pytorchs():
    out_proj = nn.MultiheadAttention(4, 2).out_proj
    assert isinstance(out_proj, nn.Linear)
    assert type(out_proj).__name__ == type(torch.nn.MultiheadAttention(4, 2).out_proj).__name__


# ----------------------------------------------------------------------------- softmax without dim
SOFTMAX_SHAPES = [(), (4,), (2, 3), (2, 3, 4), (2, 3, 2, 2)]
SOFTMAX_NAMES = {"Softmax": "softmax", "LogSoftmax": "log_softmax", "Softmin": "softmin"}


@pytest.mark.parametrize("shape", SOFTMAX_SHAPES, ids=lambda s: f"{len(s)}d")
@pytest.mark.parametrize("cls", SOFTMAX_NAMES)
def test_softmax_modules_without_dim_pick_pytorchs_implicit_dim_and_warn(cls, shape):
    """dim=None: 0 for 0-, 1- and 3-D inputs, else 1, with PyTorch's deprecation warning."""
    x = np.random.default_rng(len(shape)).standard_normal(shape).astype(np.float32)
    message = f"Implicit dimension choice for {SOFTMAX_NAMES[cls]} has been deprecated"
    with pytest.warns(UserWarning, match=message) as ours:
        y = getattr(nn, cls)()(minigan.tensor(x))
    with pytest.warns(UserWarning, match=message) as theirs:
        ty = getattr(torch.nn, cls)()(torch.tensor(x))
    assert str(ours[0].message) == str(theirs[0].message)
    assert ours[0].filename == __file__  # the warning points at the caller's line
    np.testing.assert_allclose(y.detach().numpy(), ty.numpy(), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("cls", SOFTMAX_NAMES)
def test_softmax_modules_with_a_dim_do_not_warn(cls):
    x = np.random.default_rng(0).standard_normal((2, 3, 4)).astype(np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = getattr(nn, cls)(dim=-1)(minigan.tensor(x))
    np.testing.assert_allclose(y.detach().numpy(), getattr(torch.nn, cls)(dim=-1)(torch.tensor(x)).numpy(),
                               rtol=1e-6, atol=1e-7)
    assert getattr(nn, cls)().dim is None and getattr(nn, cls)(2).dim == 2


# ----------------------------------------------------------------------------- InstanceNorm1d / 2d
def test_instance_norm_1d_and_2d_are_two_classes_as_pytorchs():
    assert nn.InstanceNorm1d is not nn.InstanceNorm2d
    for lib in (minigan, torch):
        one, two = lib.nn.InstanceNorm1d(3), lib.nn.InstanceNorm2d(3)
        assert type(one).__name__ == "InstanceNorm1d" and type(two).__name__ == "InstanceNorm2d"
        assert not isinstance(one, lib.nn.InstanceNorm2d) and not isinstance(two, lib.nn.InstanceNorm1d)


INSTANCE_INPUTS = [("InstanceNorm1d", (2, 3, 5)), ("InstanceNorm1d", (3, 5)), ("InstanceNorm1d", (2, 4, 5)),
                   ("InstanceNorm2d", (2, 3, 4, 5)), ("InstanceNorm2d", (3, 4, 5)), ("InstanceNorm2d", (2, 4, 3, 3))]


@pytest.mark.parametrize("affine", [False, True], ids=["plain", "affine"])
@pytest.mark.parametrize("cls, shape", INSTANCE_INPUTS, ids=[f"{c}-{s}" for c, s in INSTANCE_INPUTS])
def test_instance_norm_values_gradients_and_checks_are_pytorchs(cls, shape, affine):
    """Batched and unbatched inputs; a channel count other than num_features: an error with a weight per
    channel, else a warning (the count is not used), both with PyTorch's words."""
    x = np.random.default_rng(1).standard_normal(shape)
    results = []
    for lib in (minigan, torch):
        layer = getattr(lib.nn, cls)(3, affine=affine).double()
        if affine:
            with lib.no_grad():
                layer.weight.copy_(lib.tensor([0.5, 2.0, -1.0], dtype=lib.float64))
                layer.bias.copy_(lib.tensor([0.1, 0.0, -0.3], dtype=lib.float64))
        xt = lib.tensor(x, requires_grad=True)
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            try:
                y = layer(xt)
            except ValueError as error:
                results.append(("error", str(error)))
                continue
        (y * lib.arange(y.numel(), dtype=lib.float64).reshape(y.shape)).sum().backward()
        grads = [t.grad.detach().numpy() for t in (xt, *layer.parameters())]
        results.append(("ok", y.detach().numpy(), grads, [str(w.message) for w in seen]))
        assert sorted(layer.state_dict()) == (["bias", "weight"] if affine else [])
    ours, theirs = results
    assert ours[0] == theirs[0]
    if ours[0] == "error":
        assert ours[1] == theirs[1]
        return
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-10, atol=1e-12)
    for g, tg in zip(ours[2], theirs[2]):
        np.testing.assert_allclose(g, tg, rtol=1e-9, atol=1e-10)
    assert ours[3] == theirs[3]


@pytest.mark.parametrize("cls, shape", [("InstanceNorm1d", (3,)), ("InstanceNorm1d", (2, 3, 4, 5)),
                                        ("InstanceNorm2d", (3, 5)), ("InstanceNorm2d", (2, 3, 4, 5, 6))])
def test_instance_norm_refuses_other_numbers_of_dimensions_as_pytorch(cls, shape):
    x = np.zeros(shape, dtype=np.float32)
    with pytest.raises(ValueError) as theirs:
        getattr(torch.nn, cls)(3)(torch.tensor(x))
    with pytest.raises(ValueError) as ours:
        getattr(nn, cls)(3)(minigan.tensor(x))
    assert str(ours.value) == str(theirs.value)  # e.g. "expected 2D or 3D input (got 4D input)"


# ----------------------------------------------------------------------------- optimizers
@pytest.mark.parametrize("cls", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad"])
def test_optimizer_zero_grad_set_to_none_false_zeroes_the_same_tensor(cls):
    for lib in (minigan, torch):
        layer = lib.nn.Linear(2, 2)
        opt = getattr(lib.optim, cls)(layer.parameters(), lr=0.1)
        layer(lib.ones(1, 2)).sum().backward()
        g = layer.weight.grad
        opt.zero_grad(set_to_none=False)
        assert g is layer.weight.grad and not g.detach().numpy().any()
        opt.zero_grad()  # the default: set_to_none=True
        assert layer.weight.grad is None and layer.bias.grad is None


def test_a_single_tensor_is_a_groups_params_as_pytorch():
    results = []
    for lib in (minigan, torch):
        layer = lib.nn.Linear(2, 1).double()
        with lib.no_grad():
            layer.weight.copy_(lib.tensor([[0.5, -1.0]], dtype=lib.float64))
            layer.bias.fill_(0.25)
        opt = lib.optim.SGD([{"params": layer.weight}, {"params": layer.bias, "lr": 1.0}], lr=0.1)
        layer(lib.ones(3, 2, dtype=lib.float64)).sum().backward()
        opt.step()
        extra = lib.nn.Parameter(lib.ones(1))
        opt.add_param_group({"params": extra})
        assert opt.param_groups[2]["params"][0] is extra
        results.append((layer.weight.detach().numpy(), layer.bias.detach().numpy(),
                        [type(g["params"]).__name__ for g in opt.param_groups],
                        [len(g["params"]) for g in opt.param_groups]))
    ours, theirs = results
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-12)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-12)
    assert ours[2:] == theirs[2:] == (["list"] * 3, [1, 1, 1])


def test_a_set_of_params_is_refused_as_pytorch():
    messages = []
    for lib in (minigan, torch):
        layer = lib.nn.Linear(2, 1)
        with pytest.raises(TypeError) as group:
            lib.optim.SGD([{"params": set(layer.parameters())}], lr=0.1)
        opt = lib.optim.SGD([layer.weight], lr=0.1)
        with pytest.raises(TypeError) as added:
            opt.add_param_group({"params": {layer.bias}})
        messages.append((str(group.value), str(added.value)))
    assert messages[0] == messages[1]
    assert "ordered collections" in messages[0][0]


def test_a_single_tensor_as_the_whole_params_is_still_refused():
    for lib in (minigan, torch):
        with pytest.raises(TypeError):
            lib.optim.SGD(lib.nn.Linear(2, 1).weight, lr=0.1)
