"""The features built on an exercise's function (``FEATURES``), run once the exercise's own properties hold."""

from __future__ import annotations

import numpy as np

import minigan
from minigan import autograd

from .base import (
    T,
    check,
    close,
    raises,
    rn,
)


# ============================================================================= features built on an exercise
# The library's tests of the documented features that rest on an exercise's function (tests/engine/test_anomaly.py,
# test_inplace.py, test_graph.py, test_tensor_hooks.py, test_engine_semantics.py, test_lr_scheduler.py), in the
# form the grader runs on a workspace.  They run once the exercise's own properties hold, so a solution that
# passes its own checks but silently breaks a feature built on it fails, naming the feature.
def feature_anomaly_forward(ctx):
    hint = "Node.apply ends with the anomaly check: under detect_anomaly(), fn.check_forward(result)"
    x = T([0.0, 1.0])

    def log_of_zero():
        with minigan.detect_anomaly(), np.errstate(divide="ignore"):
            x.log()

    raises("x.log() of 0 inside detect_anomaly()", minigan.AnomalyError, log_of_zero, hint)
    with np.errstate(divide="ignore"):
        check(float(x.log().detach().numpy()[0]) == -np.inf, "x.log() of 0 outside detect_anomaly() is not -inf",
              hint)


def feature_views(ctx):
    hint = "Node.apply hands like._make the input a view op looks at (inputs[0] if cls.is_view else None): that " \
           "makes reshape, transpose and indexing views whose in-place changes reach their base and its history"
    x = T([[1.0, 2.0], [3.0, 4.0]])
    a = x * 1.0
    a.reshape(4).mul_(3.0)
    close("a after a.reshape(4).mul_(3) (reshape returns a view of a)", a, 3 * x.detach().numpy(), hint)
    a.sum().backward()
    close("x.grad for a = x·1; a.reshape(4).mul_(3); a.sum()", x.grad, np.full((2, 2), 3.0), hint)
    x = T([1.0, 2.0])
    a = x * 1.0
    a[0].mul_(x[1])  # a = [x0·x1, x1]
    a.sum().backward()
    close("x.grad for a = x·1; a[0].mul_(x[1]); a.sum() (a[0] is a view)", x.grad, [2.0, 2.0], hint)
    x = T([[1.0, 2.0], [3.0, 4.0]])
    a = x * 1.0
    col = a[:, 0]  # a view made before the change sees it
    a[0].mul_(3.0)
    (col * col).sum().backward()
    close("x.grad for col = a[:, 0]; a[0].mul_(3); sum(col²) (a view sees its base's later change)", x.grad,
          [[18.0, 0.0], [6.0, 0.0]], hint)


def feature_anomaly_backward(ctx):
    hint = "step 5 of the walk: under detect_anomaly() check each gradient a node's backward returns " \
           "(check_finite) and name the op"
    x = T([0.0, 1.0])

    def sqrt_at_zero():
        with minigan.detect_anomaly(), np.errstate(divide="ignore"):
            x.sqrt().sum().backward()

    raises("backward of sqrt at 0 inside detect_anomaly()", minigan.AnomalyError, sqrt_at_zero, hint)


def feature_hooks(ctx):
    hint = "step 2 of the walk: a node's output hooks (fn.hooks, run_hooks) replace its gradient before it goes " \
           "on or is retained; step 9: a leaf's hooks run once, on the whole gradient it got"
    x = T(rn(2, seed=51))
    y = x * 2.0
    y.register_hook(lambda g: g * 3.0)
    (y * y).sum().backward()  # d/dy = 2y, the hook makes it 6y; d/dx = 12y = 24x
    close("x.grad for y = 2x with a hook g ↦ 3g on y, loss = sum(y²)", x.grad, 24 * x.detach().numpy(), hint)
    seen = []
    x = T(rn(2, seed=52))
    y = x.sin()
    y.register_hook(lambda g: seen.append(g.detach().numpy().copy()))
    ((y * 2.0).sum() + (y * y).sum()).backward()
    check(len(seen) == 1, f"a hook on a tensor used twice ran {len(seen)} times; expected once, on the sum of both "
          "gradients", hint)
    close("the gradient a hook on y = sin(x) saw (y used twice)", seen[0], 2.0 + 2 * np.sin(x.detach().numpy()), hint)
    w, c = T([1.0, 2.0]), minigan.tensor(rn(2, seed=53))
    w.register_hook(lambda g: g + 1.0)
    ((w * 3.0).sum() + (w * c).sum()).backward()
    close("w.grad for sum(3w) + sum(c·w) with a hook g ↦ g + 1 on the leaf w (used twice)", w.grad,
          3.0 + rn(2, seed=53) + 1.0, hint + " (once, on the sum)")


def feature_retain_grad(ctx):
    hint = "step 3 of the walk: a node whose output asked for retain_grad() (fn.retained) keeps the gradient that " \
           "reached it, after its hooks"
    x = T(rn(2, seed=54))
    a = x * 1.0
    a.retain_grad()
    a.mul_(3.0)
    (a * a).sum().backward()
    close("a.grad for a = x·1, a.retain_grad(), a.mul_(3), sum(a²) (the gradient of a's last value)", a.grad,
          2 * 3 * x.detach().numpy(), hint)
    x = T([1.0, -1.0])
    y = x * 2.0
    y.retain_grad()
    y.register_hook(lambda g: g * 10.0)
    y.sum().backward()
    close("y.grad with a hook g ↦ 10g registered on y (retain_grad keeps the hook's result)", y.grad, [10.0, 10.0],
          hint)


def feature_accumulation(ctx):
    hint = "_add_grad: .grad += g in the tensor's own dtype; retain_grad's _keep_grad sums through it too"
    x = minigan.tensor(np.array([1.0, 2.0], dtype=np.float32), requires_grad=True)
    (x * minigan.tensor(np.array([3.0, 4.0]))).sum().backward()
    check(x.grad.dtype == x.dtype, f"a float32 leaf times a float64 constant got a {x.grad.dtype} .grad, expected "
          f"{x.dtype}", hint)
    x = T([1.0, 2.0])
    y = x * 2.0
    y.retain_grad()
    loss = (y * y).sum()
    loss.backward(retain_graph=True)
    loss.backward()
    close("y.grad (retain_grad) after two backward() of sum(y²), y = 2x", y.grad, 2 * 2 * (2 * x.detach().numpy()),
          hint + " (a retained gradient sums over backward calls, as a leaf's)")
    p = T([1.0, -2.0])
    opt = minigan.optim.SGD([p], lr=0.5)
    (p * p).sum().backward()
    (p * 2.0).sum().backward()  # .grad = 2p + 2
    opt.step()
    close("p after SGD(lr=0.5).step() on the gradients of two backward calls (2p + 2)", p, [-1.0, -1.0], hint)
    opt.zero_grad()
    check(p.grad is None, "after zero_grad() p.grad is not None (PyTorch sets it to None)", hint)


def feature_autograd_grad(ctx):
    hint = "autograd.grad and backward(inputs=...) walk the pruned order: every node from which a target can be " \
           "reached, each once, producers after their consumers"
    x = T([1.0, 2.0])
    h = x.exp()
    y = (h * h).sum() + h.sum()
    gh, gx = autograd.grad(y, (h, x), retain_graph=True)
    close("autograd.grad(sum(h²) + sum(h), (h, x)) for h = exp(x): d/dh", gh, 2 * np.exp(x.detach().numpy()) + 1,
          hint)
    close("... d/dx", gx, (2 * np.exp(x.detach().numpy()) + 1) * np.exp(x.detach().numpy()), hint)
    y.backward(inputs=[x])
    close("x.grad after y.backward(inputs=[x])", x.grad, (2 * np.exp(x.detach().numpy()) + 1) *
          np.exp(x.detach().numpy()), hint)


def feature_schedulers(ctx):
    hint = "step() reads each group's lr from self.param_groups at every call (a scheduler changes it there)"
    p = T([1.0])
    opt = minigan.optim.SGD([p], lr=1.0)
    sched = minigan.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.1)
    for _ in range(2):
        opt.zero_grad()
        p.sum().backward()  # gradient 1
        opt.step()
        sched.step()
    close("p after two SGD steps of gradient 1 with StepLR(step_size=1, gamma=0.1) from lr 1", p, [1.0 - 1.0 - 0.1],
          hint)


FEATURES = {  # exercise name → ((feature, check(ctx)), ...): run once the exercise's own properties hold
    "node_apply": (("anomaly detection (detect_anomaly() in forward)", feature_anomaly_forward),
                   ("views (reshape, indexing: in-place changes reach the base)", feature_views)),
    "topological_order": (("tensor hooks", feature_hooks), ("autograd.grad and backward(inputs=...)",
                                                            feature_autograd_grad)),
    "backprop": (("anomaly detection (detect_anomaly() in backward)", feature_anomaly_backward),
                 ("tensor hooks (register_hook)", feature_hooks), ("retain_grad", feature_retain_grad),
                 ("autograd.grad and backward(inputs=...)", feature_autograd_grad)),
    "accumulate": (("gradient accumulation (dtype, retain_grad, optimizer steps)", feature_accumulation),
                   ("retain_grad", feature_retain_grad)),
    "prune": (("autograd.grad and backward(inputs=...)", feature_autograd_grad),),
    "optimizer_step": (("learning-rate schedulers", feature_schedulers),),
}
