"""AdamW, Adagrad, Adadelta, Adam(amsgrad=True) step for step against torch.optim; the schedulers of
torch.optim.lr_scheduler against PyTorch's sequences, chained and with a rate set by hand; an Optimizer
subclass written PyTorch's way; zero_grad(set_to_none=False); gradient clipping.

(Its torch-free tests: tests/library/test_optim_surface.py.)"""

import numpy as np
import pytest
from library.helpers_optim_surface import CASES, grad_sequence, make_params

import minigan
from minigan import nn, optim
from minigan.optim import lr_scheduler

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def twin(params):
    return [torch.tensor(p.array.copy(), requires_grad=True) for p in params]


def feed(params, tparams, gs):
    for p, tp, g in zip(params, tparams, gs):
        p.grad = minigan.tensor(g)
        tp.grad = torch.tensor(g)


@pytest.mark.parametrize("name, kwargs", CASES)
def test_matches_torch_optim_step_for_step(name, kwargs):
    params = make_params()
    tparams = twin(params)
    ours, theirs = getattr(optim, name)(params, **kwargs), getattr(torch.optim, name)(tparams, **kwargs)
    # (PyTorch keeps NAdam's product of momentum coefficients, Π μ_i, in float32 (1.5e-7 off after 60 steps);
    # minigan in float64)
    rtol, atol = (1e-6, 1e-9) if name == "NAdam" else (1e-12, 1e-13)
    for gs in grad_sequence(60):
        feed(params, tparams, gs)
        ours.step()
        theirs.step()
        for p, tp in zip(params, tparams):
            np.testing.assert_allclose(p.array, tp.detach().numpy(), rtol=rtol, atol=atol)


# ----------------------------------------------------------------------------- an Optimizer written PyTorch's way
def _sign_sgd(base):
    """The same source for both libraries: signSGD with momentum, as a PyTorch tutorial writes an optimizer."""

    class SignSGD(base.optim.Optimizer):
        def __init__(self, params, lr=0.01, beta=0.9):
            defaults = dict(lr=lr, beta=beta)
            super().__init__(params, defaults)

        @base.no_grad()
        def step(self, closure=None):
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self.state[p]
                    if len(state) == 0:
                        state["momentum"] = base.zeros_like(p)
                    m = state["momentum"]
                    m.mul_(group["beta"]).add_(p.grad, alpha=1 - group["beta"])
                    p.add_(base.sign(m), alpha=-group["lr"])
            return None

    return SignSGD


def test_an_optimizer_subclass_written_pytorchs_way_runs_and_matches():
    params = make_params()
    tparams = twin(params)
    ours, theirs = _sign_sgd(minigan)(params, lr=0.05), _sign_sgd(torch)(tparams, lr=0.05)
    scheduler = lr_scheduler.StepLR(ours, step_size=2, gamma=0.5)
    tscheduler = torch.optim.lr_scheduler.StepLR(theirs, step_size=2, gamma=0.5)
    for gs in grad_sequence(6):
        feed(params, tparams, gs)
        ours.step()
        theirs.step()
        scheduler.step()
        tscheduler.step()
    for p, tp in zip(params, tparams):
        np.testing.assert_allclose(p.array, tp.detach().numpy(), rtol=1e-12)
    assert ours.param_groups[0]["beta"] == 0.9 and ours.defaults == {"lr": 0.05, "beta": 0.9}
    resumed = _sign_sgd(minigan)(make_params(), lr=0.05)
    resumed.load_state_dict(ours.state_dict())  # a checkpoint round-trips, its state Tensors again
    for p, q in zip(ours.params, resumed.params):
        np.testing.assert_array_equal(ours.state[p]["momentum"].detach().numpy(),
                                      resumed.state[q]["momentum"].detach().numpy())
        q.grad = minigan.ones(q.shape, dtype=q.dtype)
    resumed.step()


def test_zero_grad_set_to_none_false_keeps_zero_tensors_as_pytorch():
    params = make_params()
    tparams = twin(params)
    ours, theirs = optim.SGD(params, lr=0.1, momentum=0.9), torch.optim.SGD(tparams, lr=0.1, momentum=0.9)
    feed(params, tparams, grad_sequence(1)[0])
    ours.step()
    theirs.step()
    ours.zero_grad(set_to_none=False)
    theirs.zero_grad(set_to_none=False)
    assert all(p.grad is not None and not p.grad.detach().numpy().any() for p in params)
    ours.step()  # momentum still moves the parameters with a zero gradient
    theirs.step()
    for p, tp in zip(params, tparams):
        np.testing.assert_allclose(p.array, tp.detach().numpy(), rtol=1e-12)
    ours.zero_grad()
    assert all(p.grad is None for p in params)


# ----------------------------------------------------------------------------- schedulers
SCHEDULERS = [
    ("StepLR", dict(step_size=3, gamma=0.5)),
    ("MultiStepLR", dict(milestones=[2, 5, 5, 9], gamma=0.3)),
    ("ExponentialLR", dict(gamma=0.9)),
    ("LinearLR", dict(start_factor=0.2, total_iters=4)),
    ("ConstantLR", dict(factor=0.5, total_iters=3)),
    ("CosineAnnealingLR", dict(T_max=5, eta_min=0.01)),
    ("CosineAnnealingLR", dict(T_max=4)),
    ("LambdaLR", dict(lr_lambda=lambda t: 0.95**t)),
    ("MultiplicativeLR", dict(lr_lambda=lambda t: 0.9)),
    ("OneCycleLR", dict(max_lr=1.0, total_steps=20)),
    ("OneCycleLR", dict(max_lr=[1.0, 0.5], total_steps=15, anneal_strategy="linear", three_phase=True)),
]


def _groups(lib, ps, opt_name="SGD"):
    kwargs = dict(momentum=0.9) if opt_name == "SGD" else {}
    return getattr(lib.optim, opt_name)([{"params": [ps[0]]}, {"params": [ps[1]], "lr": 0.1}], lr=0.5, **kwargs)


def _sequences(make, steps, hand=None, opt_name="SGD"):
    """The rates (and momentum) a scheduler sets over ``steps`` epochs, in both libraries; ``hand`` sets the
    first group's rate by hand at that epoch."""
    out = []
    for lib, ps in ((minigan, make_params()), (torch, twin(make_params()))):
        opt = _groups(lib, ps, opt_name)
        schedulers = make(lib, opt)
        seen = []
        for t in range(steps):
            seen.append([(g["lr"], g.get("momentum"), tuple(g.get("betas", ()))) for g in opt.param_groups])
            opt.step()
            if t == hand:
                opt.param_groups[0]["lr"] = 0.05
            for s in schedulers:
                s.step()
        out.append(seen)
    return out


@pytest.mark.parametrize("name, kwargs", SCHEDULERS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(SCHEDULERS)])
def test_each_scheduler_gives_pytorchs_sequence(name, kwargs):
    steps = 15 if name == "OneCycleLR" else 14
    ours, theirs = _sequences(lambda lib, opt: [getattr(lib.optim.lr_scheduler, name)(opt, **kwargs)], steps)
    np.testing.assert_allclose(np.array([[r[0] for r in e] for e in ours]),
                               np.array([[r[0] for r in e] for e in theirs]), rtol=1e-12)
    if name == "OneCycleLR":  # the momentum cycles the other way
        np.testing.assert_allclose(np.array([[r[1] for r in e] for e in ours]),
                                   np.array([[r[1] for r in e] for e in theirs]), rtol=1e-12)


def test_one_cycle_cycles_adams_beta1_as_pytorch():
    make = lambda lib, opt: [lib.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.01, epochs=2, steps_per_epoch=5)]  # noqa: E731
    ours, theirs = _sequences(make, 10, opt_name="Adam")
    np.testing.assert_allclose([[r[2][0] for r in e] for e in ours], [[r[2][0] for r in e] for e in theirs],
                               rtol=1e-12)


@pytest.mark.parametrize("hand", [None, 4])
def test_two_schedulers_chain_and_a_rate_set_by_hand_is_kept(hand):
    """A LinearLR warm-up and an ExponentialLR decay on one optimizer multiply, and MultiStepLR and
    CosineAnnealingLR continue from a rate the loop set by hand, as in PyTorch (before, the last scheduler
    constructed overwrote the others and the hand-set rate)."""
    def make(lib, opt):
        S = lib.optim.lr_scheduler
        return [S.LinearLR(opt, start_factor=0.1, total_iters=3), S.ExponentialLR(opt, gamma=0.9),
                S.MultiStepLR(opt, milestones=[6], gamma=0.5), S.CosineAnnealingLR(opt, T_max=20)]

    ours, theirs = _sequences(make, 12, hand=hand)
    np.testing.assert_allclose(np.array([[r[0] for r in e] for e in ours]),
                               np.array([[r[0] for r in e] for e in theirs]), rtol=1e-12)
    if hand is not None:
        assert ours[hand + 1][0][0] < 0.06  # continued from the 0.05 set by hand, not from the schedule


# ----------------------------------------------------------------------------- clipping
@pytest.mark.parametrize("norm_type", [2.0, 1.0, float("inf")])
def test_clip_grad_norm_matches_pytorch(norm_type):
    params = make_params()
    tparams = twin(params)
    feed(params, tparams, grad_sequence(1, scale=3.0)[0])
    params[2].grad = None  # a parameter without a gradient is skipped
    tparams[2].grad = None
    ours = nn.utils.clip_grad_norm_(params, max_norm=1.5, norm_type=norm_type)
    theirs = torch.nn.utils.clip_grad_norm_(tparams, max_norm=1.5, norm_type=norm_type)
    np.testing.assert_allclose(float(ours), float(theirs), rtol=1e-12)
    for p, tp in zip(params[:2], tparams[:2]):
        np.testing.assert_allclose(p.grad.detach().numpy(), tp.grad.detach().numpy(), rtol=1e-12)


def test_clip_grad_value_matches_pytorch_and_norm_of_one_tensor():
    params = make_params()
    tparams = twin(params)
    feed(params, tparams, grad_sequence(1, scale=3.0)[0])
    nn.utils.clip_grad_value_(params, 0.7)
    torch.nn.utils.clip_grad_value_(tparams, 0.7)
    for p, tp in zip(params, tparams):
        np.testing.assert_array_equal(p.grad.detach().numpy(), tp.grad.detach().numpy())
    norm = nn.utils.clip_grad_norm_(params[0], 100.0)  # a single tensor, as PyTorch allows: nothing clipped
    np.testing.assert_allclose(float(norm), np.linalg.norm(tparams[0].grad.detach().numpy()), rtol=1e-12)


def test_sequential_and_chained_schedulers_give_pytorchs_sequence():
    def sequential(lib, opt):
        S = lib.optim.lr_scheduler
        warm, decay = S.LinearLR(opt, start_factor=0.1, total_iters=3), S.ExponentialLR(opt, gamma=0.8)
        return [S.SequentialLR(opt, [warm, decay], milestones=[4])]

    def chained(lib, opt):
        S = lib.optim.lr_scheduler
        return [S.ChainedScheduler([S.ConstantLR(opt, factor=0.5, total_iters=2), S.ExponentialLR(opt, gamma=0.9)])]

    for make in (sequential, chained):
        ours, theirs = _sequences(make, 10)
        np.testing.assert_allclose(np.array([[r[0] for r in e] for e in ours]),
                                   np.array([[r[0] for r in e] for e in theirs]), rtol=1e-12)


@pytest.mark.parametrize("kwargs", [dict(patience=1), dict(mode="max", factor=0.5, patience=0, cooldown=2),
                                    dict(threshold=0.5, threshold_mode="abs", min_lr=0.04, patience=2)])
def test_reduce_lr_on_plateau_gives_pytorchs_sequence(kwargs):
    metrics = [1.0, 0.9, 0.95, 0.97, 0.96, 0.5, 0.6, 0.7, 0.8, 0.4, 0.45, 0.5]
    seen = []
    for lib, ps in ((minigan, make_params()), (torch, twin(make_params()))):
        opt = _groups(lib, ps)
        s = lib.optim.lr_scheduler.ReduceLROnPlateau(opt, **kwargs)
        rates = []
        for m in metrics:
            opt.step()
            s.step(m)
            rates.append([g["lr"] for g in opt.param_groups])
        seen.append(rates)
    np.testing.assert_allclose(seen[0], seen[1], rtol=1e-12)
