"""The checks of set 3, the optimizers from their papers: trajectories on ``base.GRADS`` (drawn from the
grader's seed) against closed forms in every branch, and against torch.optim when asked (``base.USE_TORCH``).
"""

from __future__ import annotations

import numpy as np

import minigan
from minigan import nn

from . import base
from .base import (
    check,
    close,
    rn,
)


# ============================================================================= 3. optimizers
def _steps(opt, p, grads, as_tensor):
    """θ after each step of ``opt`` on its one parameter ``p``, fed ``grads`` made tensors by ``as_tensor``
    (minigan's or PyTorch's: the same loop for both libraries)."""
    out = []
    for g in grads:
        p.grad = as_tensor(np.array(g, dtype=np.float64))
        opt.step()
        out.append(p.detach().numpy().copy())
    return np.array(out)


def _trajectory(cls, grads, theta0, **kw):
    p = nn.Parameter(np.array(theta0, dtype=np.float64))
    return _steps(cls([p], **kw), p, grads, minigan.tensor)


def _torch_trajectory(name, grads, theta0, **kw):
    if not base.USE_TORCH:
        return None
    try:
        import torch
    except ImportError:
        return None
    p = torch.tensor(np.array(theta0, dtype=np.float64), requires_grad=True)
    return _steps(getattr(torch.optim, name)([p], **kw), p, grads, torch.tensor)


THETA0 = np.array([0.5, -1.0, 2.0])


def _compare_trajectory(label, cls, torch_name, closed_form, hint, **kw):
    got = _trajectory(cls, base.GRADS, THETA0, **kw)
    close(f"{label}: θ after each of 6 steps (gradients of 3 scales), {kw}", got, closed_form(**kw), hint,
          rtol=1e-9, atol=1e-12)
    if base.USE_TORCH and torch_name:  # (the grader's process: PyTorch's trajectory, or its own if not installed)
        close(f"{label} against torch.optim.{torch_name}, {kw}", got, _torch_or(got, torch_name, kw), hint,
              rtol=1e-7, atol=1e-10)


def _torch_or(got, torch_name, kw):
    oracle = _torch_trajectory(torch_name, base.GRADS, THETA0, **kw)
    return got if oracle is None else oracle


def _sgd_closed(lr, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0):
    theta, buf, out = THETA0.copy(), None, []
    for g in base.GRADS:
        g = g + weight_decay * theta
        if momentum:
            buf = g.copy() if buf is None else momentum * buf + (1 - dampening) * g
            g = g + momentum * buf if nesterov else buf
        theta = theta - lr * g
        out.append(theta)
    return np.array(out)


def check_optimizer_step(ctx):
    hint = "every parameter of every group, numbered in order (those without a gradient counted too), is updated " \
           "under no_grad by self._update with its gradient, its state and its group; a parameter whose .grad is " \
           "None is skipped"
    v, g = _step_inputs()  # (the grader's numbers: starting values, then the gradients of two steps)
    p0, p1, p2 = (nn.Parameter(a.copy()) for a in v)
    opt = minigan.optim.SGD([{"params": [p0, p1]}, {"params": [p2], "lr": 0.5}], lr=0.1, momentum=0.9)
    p0.grad, p2.grad = minigan.tensor(g[0]), minigan.tensor(g[1])
    opt.step()  # p1 has no gradient yet: skipped
    p0.grad, p1.grad, p2.grad = minigan.tensor(g[2]), minigan.tensor(g[3]), minigan.tensor(g[4])
    opt.step()
    close("p0 after 2 momentum steps (group lr 0.1)", p0, v[0] - 0.1 * (g[0] + (0.9 * g[0] + g[2])), hint)
    close("p1 (no .grad at the first step, then one: one plain first momentum step)", p1, v[1] - 0.1 * g[3], hint)
    close("p2 after 2 momentum steps (its own group, lr 0.5, its own momentum buffer)", p2,
          v[2] - 0.5 * (g[1] + (0.9 * g[1] + g[4])),
          hint + " (the state of the i-th parameter is self.state[i], i counting the skipped ones too)")
    check(p0.requires_grad and p0.grad_fn is None, "after step() the parameter is no longer a leaf that requires "
          "grad (the update was recorded)", hint + " (update under no_grad())")
    w = nn.Parameter(np.array([2.0]))
    o = minigan.optim.SGD([w], lr=0.25)

    def closure():
        o.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    with minigan.no_grad():
        loss = o.step(closure)
    check(loss is not None, "step(closure) returned None; expected the closure's loss", hint)
    close("step(closure): the closure's loss", loss, 4.0, hint)
    close("w after step(closure) on w² (lr 0.25, inside no_grad: the closure runs with grad enabled)", w, [1.0], hint)
    up = nn.Parameter(np.array([2.0]))
    up.grad = minigan.tensor(np.array([1.0]))
    minigan.optim.SGD([up], lr=0.5, maximize=True).step()
    close("a maximize=True step along +grad (lr 0.5, grad 1 at 2)", up, [2.5], hint + " (maximize: step along −g)")
    close("p.grad after a maximize=True step (left as it was)", up.grad, [1.0], hint + " (−g as a new array)")


def _step_inputs():
    return [rn(2, seed=61), rn(1, seed=62), rn(2, seed=63)], [rn(*s, seed=64 + i) for i, s in
                                                             enumerate(((2,), (2,), (2,), (1,), (2,)))]


def check_sgd(ctx):
    hint = "g ← g + λθ; b ← g at the first step, then μb + (1 − dampening)g; d = g + μb (Nesterov) or b; θ ← θ − ηd"
    for kw in ({"lr": 0.1}, {"lr": 0.1, "momentum": 0.9}, {"lr": 0.05, "momentum": 0.9, "dampening": 0.3},
               {"lr": 0.1, "momentum": 0.9, "nesterov": True}, {"lr": 0.1, "momentum": 0.5, "weight_decay": 0.01}):
        _compare_trajectory("SGD", minigan.optim.SGD, "SGD", _sgd_closed, hint, **kw)


def _rmsprop_closed(lr, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False):
    theta, v, gbar, buf, out = THETA0.copy(), np.zeros(3), np.zeros(3), np.zeros(3), []
    for g in base.GRADS:
        g = g + weight_decay * theta
        v = alpha * v + (1 - alpha) * g * g
        if centered:
            gbar = alpha * gbar + (1 - alpha) * g
            s = np.sqrt(v - gbar * gbar)
        else:
            s = np.sqrt(v)
        if momentum:
            buf = momentum * buf + g / (s + eps)
            theta = theta - lr * buf
        else:
            theta = theta - lr * g / (s + eps)
        out.append(theta)
    return np.array(out)


def check_rmsprop(ctx):
    hint = "a running mean of g² with weight α on the old; ε outside its root; centered: the root is of that mean " \
           "less the square of a running mean of g; momentum: a buffer of the scaled steps, μ times itself plus the new"
    for kw in ({"lr": 0.01}, {"lr": 0.01, "alpha": 0.9, "eps": 1e-3}, {"lr": 0.01, "centered": True},
               {"lr": 0.01, "momentum": 0.9}, {"lr": 0.01, "weight_decay": 0.1}):
        _compare_trajectory("RMSprop", minigan.optim.RMSprop, "RMSprop", _rmsprop_closed, hint, **kw)


def _adam_closed(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False, maximize=False,
                 decoupled_weight_decay=False):
    theta, m, v, v_max, out = THETA0.copy(), np.zeros(3), np.zeros(3), np.zeros(3), []
    for t, g in enumerate(base.GRADS, start=1):
        g = -g if maximize else g
        if decoupled_weight_decay:
            theta = theta * (1 - lr * weight_decay)  # AdamW: the decay never enters m or v
        else:
            g = g + weight_decay * theta
        m = betas[0] * m + (1 - betas[0]) * g
        v = betas[1] * v + (1 - betas[1]) * g * g
        v_max = np.maximum(v_max, v)
        m_hat, v_hat = m / (1 - betas[0] ** t), (v_max if amsgrad else v) / (1 - betas[1] ** t)
        theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
        out.append(theta)
    return np.array(out)


def check_adam(ctx):
    hint = "two running means, of g and of g² (β1 and β2 the weights on the old), each divided by one less its β to " \
           "the power t (the bias correction), ε outside the root of the second; AdamW (decoupled_weight_decay): θ " \
           "shrinks by lr·λ of itself first and g is untouched; AMSGrad: the second moment used is the largest so far"
    for kw in ({"lr": 0.1}, {"lr": 0.01, "betas": (0.5, 0.999), "eps": 1e-3},
               {"lr": 0.01, "betas": (0.0, 0.9)}, {"lr": 0.01, "weight_decay": 0.1},
               {"lr": 0.1, "weight_decay": 0.5, "decoupled_weight_decay": True},
               {"lr": 0.05, "betas": (0.9, 0.5), "amsgrad": True},
               {"lr": 0.05, "betas": (0.5, 0.5), "amsgrad": True, "weight_decay": 0.2,
                "decoupled_weight_decay": True},
               {"lr": 0.01, "maximize": True, "weight_decay": 0.1}):
        _compare_trajectory("Adam", minigan.optim.Adam, "Adam", _adam_closed, hint, **kw)
    got = _trajectory(minigan.optim.AdamW, base.GRADS, THETA0, lr=0.1, weight_decay=0.5)
    close("AdamW(lr=0.1, weight_decay=0.5): θ after each of 6 steps", got,
          _adam_closed(lr=0.1, weight_decay=0.5, decoupled_weight_decay=True), hint, rtol=1e-9, atol=1e-12)


def _optimistic_closed(lr, directions):
    """The optimistic step over a base method's directions d_t: θ_t = θ_{t−1} − 2η·d_t + η·d_{t−1}, d_0 = 0."""
    theta, previous, out = THETA0.copy(), np.zeros(3), []
    for direction in directions:
        theta = theta - 2 * lr * direction + lr * previous
        previous = direction
        out.append(theta)
    return np.array(out)


def _optimistic_adam_closed(lr, betas=(0.5, 0.9), eps=1e-8):
    m, v, directions = np.zeros(3), np.zeros(3), []
    for t, g in enumerate(base.GRADS, start=1):
        m = betas[0] * m + (1 - betas[0]) * g
        v = betas[1] * v + (1 - betas[1]) * g * g
        directions.append((m / (1 - betas[0] ** t)) / (np.sqrt(v / (1 - betas[1] ** t)) + eps))  # Adam's m̂/(√v̂+ε)
    return _optimistic_closed(lr, directions)


def check_optimistic_adam(ctx):
    hint = "θ_t = θ_{t−1} − 2η·m̂_t/(√v̂_t + ε) + η·m̂_{t−1}/(√v̂_{t−1} + ε); the previous direction starts at 0"
    for kw in ({"lr": 0.01}, {"lr": 0.05, "betas": (0.9, 0.999), "eps": 1e-3}):
        _compare_trajectory("OptimisticAdam", minigan.optim.OptimisticAdam, None, _optimistic_adam_closed, hint, **kw)


def _optimistic_sgd_closed(lr):
    return _optimistic_closed(lr, base.GRADS)  # SGD's direction: the gradient itself


def check_optimistic_sgd(ctx):
    hint = "θ ← θ − η·(2g_t − g_{t−1}), g_{−1} = 0; store a copy of g_t"
    _compare_trajectory("OptimisticSGD", minigan.optim.OptimisticSGD, None, _optimistic_sgd_closed, hint, lr=0.1)
    p = nn.Parameter(np.array([1.0]))
    opt = minigan.optim.OptimisticSGD([p], lr=0.1)
    g = minigan.tensor([1.0], dtype="float64")
    p.grad = g
    opt.step()
    with minigan.no_grad():
        g.mul_(5.0)  # the caller changes the gradient it handed in: the stored g_{t−1} must not change
    p.grad = minigan.tensor([0.0], dtype="float64")
    opt.step()
    close("θ after two steps when the first gradient Tensor was changed in place in between", p, [1 - 0.2 + 0.1],
          hint)
