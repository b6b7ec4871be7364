"""Optimizers on their own terms: hand-worked steps of SGD, RMSprop, Adam, optimistic Adam and optimistic SGD (and the
"efficient" Adam form that moves ε), Proposition 1 of Daskalakis et al. 2018 on the bilinear game, argument checks,
float32 kept, parameters without a gradient skipped, state_dict resumption and its refusals, frozen nn parameters, a
step between forward and backward refused, and PyTorch's state names (a checkpoint with the papers' still loads).

(Its comparisons with PyTorch: tests/pytorch/test_optim.py.)"""

from __future__ import annotations

import math

import numpy as np
import pytest

import minigan
from library.helpers_optim import grad_sequence, make_params
from minigan import optim
from minigan.serialization import load, save


def run(opt, params, grads):
    for gs in grads:
        for p, g in zip(params, gs):
            p.grad = minigan.tensor(g.astype(p.dtype))
        opt.step()
    return [p.array.copy() for p in params]


def test_adam_efficient_form_moves_eps():
    """The pitfall the design warns about: Kingma & Ba's 'more efficient' order (α_t folded into the
    step, ε added to √v_t) is NOT the same update when ε is comparable to √v̂."""
    lr, (b1, b2), eps, g = 0.1, (0.9, 0.999), 1e-3, 1e-3
    m, v = (1 - b1) * g, (1 - b2) * g * g
    paper = lr * (m / (1 - b1)) / (math.sqrt(v / (1 - b2)) + eps)
    efficient = lr * math.sqrt(1 - b2) / (1 - b1) * m / (math.sqrt(v) + eps)
    p = minigan.tensor(np.zeros(1), requires_grad=True)
    p.grad = minigan.tensor(np.full(1, g))
    optim.Adam([p], lr=lr, betas=(b1, b2), eps=eps).step()
    assert -p.array[0] == pytest.approx(paper, rel=1e-15)
    assert abs(paper - efficient) > 0.4 * paper


# ----------------------------------------------------------------------------- by hand, no torch
def two_steps(opt_cls, g1, g2, theta0=1.0, **kwargs):
    p = minigan.tensor(np.array([theta0]), requires_grad=True)
    opt = opt_cls([p], **kwargs)
    out = []
    for g in (g1, g2):
        p.grad = minigan.tensor(np.array([g]))
        opt.step()
        out.append(float(p.array[0]))
    return out


def test_sgd_by_hand():
    assert two_steps(optim.SGD, 0.5, -1.0, lr=0.1) == pytest.approx([1 - 0.05, 0.95 + 0.1], rel=1e-15)
    # momentum 0.9: b1 = g1 = 0.5, θ1 = 1 − 0.1·0.5 = 0.95; b2 = 0.9·0.5 − 1 = −0.55, θ2 = 0.95 + 0.055
    assert two_steps(optim.SGD, 0.5, -1.0, lr=0.1, momentum=0.9) == pytest.approx([0.95, 1.005], rel=1e-15)
    # Nesterov: d1 = g1 + 0.9·b1 = 0.95, θ1 = 0.905; b2 = −0.55, d2 = −1 − 0.495 = −1.495, θ2 = 1.0545
    assert two_steps(optim.SGD, 0.5, -1.0, lr=0.1, momentum=0.9, nesterov=True) == pytest.approx(
        [0.905, 1.0545], rel=1e-15)


def test_rmsprop_by_hand():
    # v1 = 0.01·0.25 = 0.0025, θ1 = 1 − 0.1·0.5/(0.05 + ε)
    # v2 = 0.99·0.0025 + 0.01·1 = 0.012475, θ2 = θ1 + 0.1·1/(√0.012475 + ε)
    t1 = 1 - 0.1 * 0.5 / (0.05 + 1e-8)
    t2 = t1 + 0.1 / (math.sqrt(0.012475) + 1e-8)
    assert two_steps(optim.RMSprop, 0.5, -1.0, lr=0.1) == pytest.approx([t1, t2], rel=1e-14)


def test_adam_by_hand():
    # t=1: m = 0.05, v = 0.00025, m̂ = 0.5, v̂ = 0.25: θ1 = 1 − 0.1·0.5/(0.5 + ε)
    t1 = 1 - 0.1 * 0.5 / (0.5 + 1e-8)
    # t=2: m = 0.045 − 0.1 = −0.055, v = 0.00024975 + 0.001 = 0.00124975
    m_hat, v_hat = -0.055 / (1 - 0.81), 0.00124975 / (1 - 0.998001)
    t2 = t1 - 0.1 * m_hat / (math.sqrt(v_hat) + 1e-8)
    assert two_steps(optim.Adam, 0.5, -1.0, lr=0.1) == pytest.approx([t1, t2], rel=1e-14)


def test_optimistic_adam_by_hand():
    # betas (0.5, 0.9). t=1: m = 0.25, v = 0.025, m̂ = 0.5, v̂ = 0.25, u1 = 0.5/(0.5 + ε); θ1 = 1 − 2η·u1
    eta, eps = 0.1, 1e-8
    u1 = 0.5 / (0.5 + eps)
    t1 = 1 - 2 * eta * u1
    # t=2: m = 0.125 − 0.5 = −0.375, v = 0.0225 + 0.1 = 0.1225, m̂ = −0.375/0.75 = −0.5, v̂ = 0.1225/0.19
    u2 = -0.5 / (math.sqrt(0.1225 / 0.19) + eps)
    t2 = t1 - 2 * eta * u2 + eta * u1
    assert two_steps(optim.OptimisticAdam, 0.5, -1.0, lr=eta) == pytest.approx([t1, t2], rel=1e-14)


def test_optimistic_sgd_by_hand():
    # θ1 = 1 − 2·0.1·0.5 = 0.9 (g_{−1} = 0);  θ2 = 0.9 − 2·0.1·(−1) + 0.1·0.5 = 1.15
    assert two_steps(optim.OptimisticSGD, 0.5, -1.0, lr=0.1) == pytest.approx([0.9, 1.15], rel=1e-15)


# ----------------------------------------------------------------------------- Proposition 1
def bilinear_gradients(x, y):
    """V(x, y) = xᵀy: x descends (grad y), y ascends (we hand it −∂V/∂y = −x)."""
    x.grad = y.grad = None
    (x * y).sum().backward()
    y.grad = -y.grad  # a new Tensor (never modify .grad in place)


def test_gd_spirals_out_and_omd_converges_on_bilinear_game():
    """Daskalakis et al. 2018, min_x max_y xᵀy: simultaneous GD multiplies ‖x‖² + ‖y‖² by exactly
    (1 + η²) every step, while optimistic GD converges to the equilibrium (0, 0)."""
    eta = 0.1
    rng = np.random.default_rng(4)
    x0, y0 = rng.standard_normal(5), rng.standard_normal(5)

    x = minigan.tensor(x0.copy(), requires_grad=True)
    y = minigan.tensor(y0.copy(), requires_grad=True)
    opt_x, opt_y = optim.SGD([x], lr=eta), optim.SGD([y], lr=eta)
    r = float(x0 @ x0 + y0 @ y0)
    for _ in range(200):
        bilinear_gradients(x, y)
        opt_x.step()
        opt_y.step()
        r_next = float(x.array @ x.array + y.array @ y.array)
        assert r_next == pytest.approx((1 + eta**2) * r, rel=1e-13)
        r = r_next
    assert r > 6 * float(x0 @ x0 + y0 @ y0)  # (1.01)^200 ≈ 7.3: diverging

    x = minigan.tensor(x0.copy(), requires_grad=True)
    y = minigan.tensor(y0.copy(), requires_grad=True)
    opt_x, opt_y = optim.OptimisticSGD([x], lr=eta), optim.OptimisticSGD([y], lr=eta)
    start = float(x0 @ x0 + y0 @ y0)
    for _ in range(4000):
        bilinear_gradients(x, y)
        opt_x.step()
        opt_y.step()
    assert float(x.array @ x.array + y.array @ y.array) < 1e-8 * start


# ----------------------------------------------------------------------------- bad arguments
ALL = [optim.SGD, optim.RMSprop, optim.Adam, optim.OptimisticAdam, optim.OptimisticSGD]
WITH_BETAS = [optim.Adam, optim.OptimisticAdam]
WITH_EPS = [optim.RMSprop, optim.Adam, optim.OptimisticAdam]

BAD = (
    [(c, dict(lr=-1.0), ValueError, "lr") for c in ALL]
    # (lr=0 and lr=inf are taken, as PyTorch's; NaN too by SGD, whose check is PyTorch's lr < 0)
    + [(c, dict(lr=float("nan")), ValueError, "lr") for c in ALL if c is not optim.SGD]
    + [(c, dict(lr="0.1"), TypeError, "lr") for c in ALL]
    + [(c, dict(lr=0.1, betas=(1.0, 0.9)), ValueError, "betas") for c in WITH_BETAS]
    + [(c, dict(lr=0.1, betas=(0.9, -0.1)), ValueError, "betas") for c in WITH_BETAS]
    + [(c, dict(lr=0.1, betas=0.9), TypeError, "betas") for c in WITH_BETAS]
    + [(c, dict(lr=0.1, eps=-1.0), ValueError, "eps") for c in WITH_EPS]
    + [(c, dict(lr=0.1, eps=float("nan")), ValueError, "eps") for c in WITH_EPS]
    + [
        (optim.SGD, dict(lr=0.1, momentum=-0.1), ValueError, "momentum"),
        (optim.SGD, dict(lr=0.1, nesterov=True), ValueError, "nesterov"),
        (optim.SGD, dict(lr=0.1, weight_decay=-1.0), ValueError, "weight_decay"),
        (optim.RMSprop, dict(lr=0.1, alpha=-0.5), ValueError, "alpha"),  # (any alpha >= 0, as PyTorch's)
        (optim.RMSprop, dict(lr=0.1, momentum=-0.1), ValueError, "momentum"),
    ]
)


@pytest.mark.parametrize("cls, kwargs, exc, word", BAD, ids=lambda v: getattr(v, "__name__", None))
def test_bad_hyperparameters_raise_clear_errors(cls, kwargs, exc, word):
    with pytest.raises(exc) as info:
        cls(make_params(), **kwargs)
    msg = str(info.value)
    assert cls.__name__ in msg and word in msg and "got" in msg


@pytest.mark.parametrize("cls", ALL)
def test_bad_parameter_lists(cls):
    with pytest.raises(ValueError, match=f"{cls.__name__}: got an empty parameter list"):
        cls([], lr=0.1)
    with pytest.raises(TypeError, match=f"{cls.__name__}: parameter 1 is a ndarray"):
        cls([make_params()[0], np.zeros(3)], lr=0.1)
    assert not cls([minigan.tensor(np.zeros(3))], lr=0.1).params[0].requires_grad  # taken, as PyTorch takes it
    with pytest.raises(TypeError, match="single Tensor"):
        cls(make_params()[0], lr=0.1)
    p = make_params()[0]
    with pytest.warns(UserWarning, match="duplicate parameters"):  # PyTorch warns, and moves p twice a step
        assert len(cls([p, p], lr=0.1).param_groups[0]["params"]) == 2


def test_gradient_of_wrong_shape_raises():
    p = make_params()[0]
    opt = optim.Adam([p])
    with pytest.raises(ValueError, match=r"grad: got a Tensor of shape \(7,\)"):
        p.grad = minigan.zeros(7, dtype=p.dtype)  # .grad is checked when it is assigned, as in PyTorch
    with pytest.raises(TypeError, match="grad: expected a Tensor or None, got ndarray"):
        p.grad = np.zeros(p.shape)
    p.grad = minigan.zeros(*p.shape, dtype=p.dtype)
    p.array = np.zeros(7)  # the parameter changed shape after its .grad was set: step() still refuses
    with pytest.raises(ValueError, match=r"Adam.step: parameter 0 has shape \(7,\) but its .grad has shape"):
        opt.step()


# ----------------------------------------------------------------------------- behaviour
CONFIGS = [
    (optim.SGD, dict(lr=0.05, momentum=0.9, nesterov=True)),
    (optim.RMSprop, dict(lr=0.01, momentum=0.5, centered=True)),
    (optim.Adam, dict(lr=0.01, weight_decay=0.01)),
    (optim.OptimisticAdam, dict(lr=0.01)),
    (optim.OptimisticSGD, dict(lr=0.05)),
]


@pytest.mark.parametrize("cls, kwargs", CONFIGS)
def test_float32_stays_float32_and_grad_is_untouched(cls, kwargs):
    params = make_params(dtype=np.float32)
    data_ids = [id(p.array) for p in params]
    opt = cls(params, **kwargs)
    for gs in grad_sequence(3):
        held = []
        for p, g in zip(params, gs):
            p.grad = minigan.tensor(g.astype(np.float32))
            held.append((p.grad, p.grad.detach().numpy()))
        versions = [p._version for p in params]
        opt.step()
        for g, copy in held:
            np.testing.assert_array_equal(g.array, copy)  # step() never writes into .grad
        for p, v in zip(params, versions):
            assert p._version > v  # each in-place update of a parameter is counted
    assert [id(p.array) for p in params] == data_ids  # updated in place
    for p in params:
        assert p.dtype == np.float32
        for v in opt.state[p].values():
            if isinstance(v, np.ndarray):
                assert v.dtype == np.float32


@pytest.mark.parametrize("cls, kwargs", CONFIGS)
def test_params_without_grad_are_skipped_and_zero_grad_sets_none(cls, kwargs):
    params = make_params()
    before = params[1].array.copy()
    opt = cls(params, **kwargs)
    params[0].grad = minigan.ones(params[0].shape, dtype=params[0].dtype)
    opt.step()
    np.testing.assert_array_equal(params[1].array, before)
    assert opt.state[params[1]] == {}  # keyed by the parameter, as PyTorch's
    assert not np.array_equal(params[0].array, make_params()[0].array)
    opt.zero_grad()
    assert all(p.grad is None for p in params)
    assert repr(opt).startswith(cls.__name__ + " (\nParameter Group 0\n") and "    lr: " in repr(opt)  # (PyTorch's)


@pytest.mark.parametrize("cls, kwargs", CONFIGS)
def test_resume_from_state_dict_gives_the_same_trajectory(cls, kwargs, tmp_path):
    grads = grad_sequence(20)
    params = make_params()
    straight = run(cls(params, **kwargs), params, grads)

    params = make_params()
    opt = cls(params, **kwargs)
    run(opt, params, grads[:10])
    save({"opt": opt.state_dict(), "params": [p.array for p in params]}, tmp_path / "ckpt.npz")
    run(opt, params, grads[10:12])  # keep going: the saved snapshot must not change

    ckpt = load(tmp_path / "ckpt.npz")
    resumed = [minigan.tensor(a, requires_grad=True) for a in ckpt["params"]]
    opt2 = cls(resumed, lr=0.5)  # different lr: load_state_dict restores the saved one
    opt2.load_state_dict(ckpt["opt"])
    assert opt2.lr == kwargs["lr"]
    after = run(opt2, resumed, grads[10:])
    for a, b in zip(after, straight):
        np.testing.assert_array_equal(a, b)


def test_load_state_dict_mismatches_raise():
    params = make_params()
    opt = optim.Adam(params)
    run(opt, params, grad_sequence(2))
    sd = opt.state_dict()
    assert sorted(sd) == ["param_groups", "state"]  # (PyTorch's keys: no class name, so no class check either)
    with pytest.raises(ValueError, match="got the state of a 'Adam' optimizer, expected 'SGD'"):
        optim.SGD(make_params(), lr=0.1).load_state_dict({**sd, "optimizer": "Adam"})  # (an older checkpoint's name)
    with pytest.raises(ValueError, match="state for 3 parameters, this optimizer has 2"):
        optim.Adam(make_params()[:2]).load_state_dict(sd)
    other = [minigan.tensor(np.zeros(s), requires_grad=True) for s in [(4, 3), (5,), ()]]
    with pytest.raises(ValueError, match=r"state 'exp_avg' of parameter 0 has shape \(3, 4\), but the parameter "
                                         r"has shape \(4, 3\)"):
        optim.Adam(other).load_state_dict(sd)
    bad = dict(sd, param_groups=[dict(sd["param_groups"][0], eps=-1.0)])
    with pytest.raises(ValueError, match="Adam: eps must be"):
        optim.Adam(make_params()).load_state_dict(bad)
    bad = dict(sd, param_groups=[dict(sd["param_groups"][0], lr="0.1")])  # (a schedule's lr is any number, as PyTorch)
    with pytest.raises(TypeError, match="Adam.load_state_dict: lr must be a number"):
        optim.Adam(make_params()).load_state_dict(bad)
    with pytest.raises(TypeError, match="expected a dict"):
        opt.load_state_dict([1, 2])


def test_works_with_nn_parameters_including_frozen_ones():
    nn = pytest.importorskip("minigan.nn")
    minigan.manual_seed(0)
    layer = nn.Linear(3, 2)
    layer.requires_grad_(False)  # frozen now (as in GAN training: D is frozen during G's step) ...
    opt = optim.Adam(layer.parameters(), lr=0.1)  # ... but still a parameter to optimize later
    layer.requires_grad_(True)
    before = layer.weight.array.copy()
    x = minigan.tensor(np.ones((4, 3), np.float32))
    (layer(x) ** 2).sum().backward()
    opt.step()
    assert layer.weight.dtype == np.float32 and not np.array_equal(layer.weight.array, before)


def test_a_step_between_forward_and_backward_is_refused():
    """step() moves p in place, so a graph that saved the old p cannot give its gradient any more."""
    p = minigan.tensor(np.array([1.0, 2.0]), requires_grad=True)
    opt = optim.SGD([p], lr=0.1)
    (p * p).sum().backward()
    loss = (p * p).sum()  # saves p at version 0
    opt.step()
    with pytest.raises(minigan.GraphError, match="modified in place"):
        loss.backward()
    opt.zero_grad()
    (p * p).sum().backward()  # a fresh forward after the step is fine
    np.testing.assert_allclose(p.grad.detach().numpy(), 2 * np.array([0.8, 1.6]))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_load_state_dict_refuses_non_finite_moments(bad):
    p = minigan.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.Adam([p])
    p.grad = minigan.tensor([0.1, 0.2])
    opt.step()
    state = opt.state_dict()
    state["state"][0]["exp_avg"] = np.array([bad, 0.0], dtype=np.float32)
    before = opt.state_dict()
    with pytest.raises(ValueError, match="state 'exp_avg' of parameter 0 holds non-finite"):
        opt.load_state_dict(state)
    np.testing.assert_array_equal(opt.state_dict()["state"][0]["exp_avg"], before["state"][0]["exp_avg"])


@pytest.mark.parametrize("name, old", [("Adam", {"m": "exp_avg", "v": "exp_avg_sq", "v_max": "max_exp_avg_sq"}),
                                       ("Adamax", {"m": "exp_avg", "u": "exp_inf"}),
                                       ("NAdam", {"m": "exp_avg", "v": "exp_avg_sq"}),
                                       ("RAdam", {"m": "exp_avg", "v": "exp_avg_sq"})])
def test_state_has_pytorchs_names_and_a_checkpoint_with_the_papers_names_still_loads(name, old):
    kwargs = {"amsgrad": True} if name == "Adam" else {}

    def stepped():
        p = minigan.tensor([1.0, -2.0], requires_grad=True)
        opt = getattr(optim, name)([p], lr=0.1, **kwargs)
        for _ in range(2):
            p.grad = minigan.tensor([0.3, -0.1])
            opt.step()
        return p, opt

    p, opt = stepped()
    saved = opt.state_dict()
    assert set(old.values()) <= set(saved["state"][0]) and not set(old) & set(saved["state"][0])
    before = {new: old_name for old_name, new in old.items()}
    written_before = {**saved, "state": {0: {before.get(k, k): v for k, v in saved["state"][0].items()}}}
    q, fresh = stepped()
    fresh.load_state_dict(written_before)
    for o, param in ((opt, p), (fresh, q)):
        param.grad = minigan.tensor([0.2, 0.2])
        o.step()
    np.testing.assert_array_equal(q.detach().numpy(), p.detach().numpy())
