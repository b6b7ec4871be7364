"""Iterative attacks: many small FGSM steps, each followed by a projection back into the ε-ball.

FGSM takes ONE step of size ε along sign(∇ₓJ), trusting that the network is linear over the
whole ball. It is not, and a model trained against FGSM alone can learn to bend its loss surface
so that the single step misses (gradient masking: ``demos/18_gradient_masking.py``). Taking many
small steps, re-reading the gradient each time, follows the surface as it really is:

* BIM, the basic iterative method — Kurakin, Goodfellow & Bengio 2017, "Adversarial examples in
  the physical world" (ICLR workshop; arXiv:1607.02533), Section 2.1, "basic iterative method"::

      X'_0 = X,   X'_{N+1} = Clip_{X,ε}{ X'_N + α · sign(∇ₓ J(X'_N, y_true)) }

  where Clip_{X,ε} keeps every pixel within ε of X and inside the valid range. Their "iterative
  least-likely class method" (Section 2.1 too) is the targeted form: step DOWN the loss of a
  chosen target class, X'_{N+1} = Clip_{X,ε}{ X'_N − α · sign(∇ₓ J(X'_N, y_target)) }.

* PGD, projected gradient descent — Madry, Makelov, Schmidt, Tsipras & Vladu 2018, "Towards Deep
  Learning Models Resistant to Adversarial Attacks" (ICLR; arXiv:1706.06083), Section 2.1::

      x^{t+1} = Π_{x+S}( x^t + α · sign(∇ₓ L(θ, x^t, y)) ),    S = {δ : ‖δ‖_∞ ≤ ε}

  started at a uniformly random point of the ball, x^0 = x + U(−ε, ε), and run from several
  random starts ("restarts"), keeping for each example the worst point found. The update is
  BIM's; the random start is what makes PGD an honest search for the inner maximum
  max_{δ∈S} L(θ, x + δ, y) of Madry et al.'s saddle-point problem (their equation (2.1)).

Both keep ``fgsm``'s contract: the model's parameters, their ``.grad``, their ``requires_grad``
flags and every submodule's train/eval mode are the same afterwards (each step asks
``input_gradient``, which uses ``minigan.autograd.grad``), and any image shape and backend works.

    from minigan.attacks import bim, pgd
    x_adv = pgd(model, images, labels, eps=0.1, step_size=0.025, steps=40, restarts=5)
"""

from __future__ import annotations

import math

import minigan.arguments as arguments
import minigan.functional as F
from minigan.attacks.fgsm import LOSSES, _as_input, check_clip, check_eps, input_gradient
from minigan.engine import backend
from minigan.engine.grad_mode import no_grad
from minigan.nn.module import evaluating
from minigan.progress import check_stop
from minigan.surface import random
from minigan.surface.tensor import Tensor, from_numpy


# ----------------------------------------------------------------------------- checking arguments
def _check_step_size(step_size, eps, steps, who):
    """α: given, or 2.5·ε/steps (Madry et al.'s rule of thumb: enough to cross the ball and come back)."""
    if step_size is None:
        return 2.5 * eps / steps
    number = isinstance(step_size, (int, float)) or backend.is_numpy_scalar(step_size)
    if isinstance(step_size, bool) or not number:
        raise TypeError(f"{who}: step_size must be a number or None, got {type(step_size).__name__}")
    step_size = float(step_size)
    if not math.isfinite(step_size) or step_size < 0:
        raise ValueError(f"{who}: step_size must be a finite number >= 0, got {step_size}")
    return step_size


def _check_targets(y, n, targeted, who):
    if targeted and y is None:
        raise ValueError(f"{who}: a targeted attack needs y, the target class of each example")
    if y is not None:
        y_arr = y.array if isinstance(y, Tensor) else y
        length = len(y_arr) if hasattr(y_arr, "__len__") else None
        if length is not None and length != n:
            raise ValueError(f"{who}: got {n} images and {length} labels/targets, expected one per image")


# ----------------------------------------------------------------------------- the two pieces of every step
def project(x_adv, x, eps, clip):
    """Π: the nearest point of {x' : ‖x' − x‖_∞ ≤ ε} ∩ [low, high]ⁿ — per pixel, two clips.

    For the max-norm ball the projection is separable: each pixel is clipped to [x − ε, x + ε],
    then to the valid range. (Kurakin et al.'s Clip_{X,ε} is exactly this.)
    """
    xp = backend.get_array_module(x)
    e = x.dtype.type(eps)
    x_adv = xp.clip(x_adv, x - e, x + e)  # back into the ε-ball around x
    if clip is not None:
        x_adv = xp.clip(x_adv, x.dtype.type(clip[0]), x.dtype.type(clip[1]))  # back into the image range
    return x_adv


def _sign_step(model, x_adv, y, step_size, targeted, loss, who):
    """x' ± α·sign(∇ₓJ(x', y)): up the loss of the true class, or down the loss of the target class."""
    xp = backend.get_array_module(x_adv)
    direction = xp.sign(input_gradient(model, x_adv, y, loss, who=who).array).astype(x_adv.dtype)
    alpha = x_adv.dtype.type(-step_size if targeted else step_size)
    return x_adv + alpha * direction


def _logits(model, x):
    """The model's logits on x in evaluation mode, without a graph; every submodule's mode put back."""
    with evaluating(model), no_grad():
        return model(from_numpy(x))


def _is_binary(logits):
    return logits.ndim == 1 or (logits.ndim == 2 and logits.shape[1] == 1)


def predicted_labels(model, x):
    """The model's own answer on the CLEAN x: the class (argmax), or 0/1 for a one-logit model.

    An untargeted attack without labels fixes these once, before the first step; re-reading the
    prediction at every step would, once x' has flipped, push x' deeper into its NEW class.
    """
    logits = _logits(model, _as_input(model, x, "predicted_labels"))
    if _is_binary(logits):
        return (logits.array.reshape(-1) > 0).astype(logits.dtype)
    return logits.array.argmax(axis=1)


def per_example_loss(model, x, y, loss=None):
    """J(θ, xᵢ, yᵢ) for each example (a host float64 array), in evaluation mode, without a graph.

    Used to choose, per example, the worst of several restarts. ``y`` None: the model's own
    prediction on ``x`` (as the attacks do).
    """
    x = _as_input(model, x, "per_example_loss")
    logits = _logits(model, x)
    if loss is None:
        loss = "bce" if _is_binary(logits) else "cross_entropy"
    if loss not in LOSSES:
        raise ValueError(f"per_example_loss: loss must be one of {LOSSES} or None, got {loss!r}")
    if loss == "cross_entropy":
        labels = logits.array.argmax(axis=1) if y is None else y
        out = F.cross_entropy(logits, labels, reduction="none")
    else:
        flat = logits.reshape(-1)
        if y is None:
            target = (flat.array > 0).astype(flat.dtype)
        else:
            target = y.array if isinstance(y, Tensor) else y
            target = backend.to_device(backend.asarray(target), flat.device).astype(flat.dtype).reshape(-1)
        out = F.binary_cross_entropy_with_logits(flat, from_numpy(target), reduction="none")
    return backend.asnumpy(out.array).astype("float64").reshape(-1)


# ----------------------------------------------------------------------------- BIM (Kurakin et al. 2017)
def bim(model, x, y=None, eps=0.1, step_size=None, steps=10, clip=(0.0, 1.0), targeted=False, loss=None) -> Tensor:
    """The basic iterative method: ``steps`` sign steps of size α from x itself, each projected.

        X'_0 = X,   X'_{N+1} = Clip_{X,ε}{ X'_N + α·sign(∇ₓJ(X'_N, y)) }     (Kurakin et al. 2017, §2.1)

    eps       the max-norm budget (no pixel moves more than ε from x);
    step_size α; None → 2.5·ε/steps. Kurakin et al. use α = 1/255 and min(255ε + 4, 1.25·255ε) steps;
    steps     the number of gradient steps;
    targeted  False: y are the true labels (None: the model's predictions on the clean x) and each step goes UP
              J(·, y). True: y are the target classes and each step goes DOWN J(·, y) (their
              "iterative least-likely class method" uses the least likely class as the target);
    clip, loss as in ``fgsm``.
    Returns x' as a Tensor with no graph.
    """
    who = "bim"
    eps = check_eps(eps, who)
    steps = arguments.positive_int(who, "steps", steps)
    step_size = _check_step_size(step_size, eps, steps, who)
    clip = check_clip(clip, who)
    x = _as_input(model, x, who)
    _check_targets(y, len(x), targeted, who)
    if y is None:
        y = predicted_labels(model, x)
    x_adv = x.copy()  # X'_0 = X
    for _ in range(steps):
        check_stop()  # a stop request (minigan.progress) ends the attack here
        x_adv = project(_sign_step(model, x_adv, y, step_size, targeted, loss, who), x, eps, clip)
    return from_numpy(x_adv)


# ----------------------------------------------------------------------------- PGD (Madry et al. 2018)
def pgd(model, x, y=None, eps=0.1, step_size=None, steps=10, random_start=True, clip=(0.0, 1.0), restarts=1,
        targeted=False, loss=None) -> Tensor:
    """Projected gradient descent on the negative loss, from a random point of the ε-ball.

        x⁰ = Π(x + U(−ε, ε)),   x^{t+1} = Π_{x+S}( x^t + α·sign(∇ₓL(θ, x^t, y)) )   (Madry et al. 2018, §2.1)

    random_start  True: x⁰ uniform in the ball (the paper); False: x⁰ = x (then PGD is BIM, and
                  one step with α = ε is FGSM).
    restarts      run the whole attack this many times from fresh random starts and keep, per
                  example, the x' with the highest loss (lowest for a targeted attack). Madry et
                  al. report MNIST under 1 and under 50 restarts of 100 steps (their Table 1).
    The random starts come from ``minigan.manual_seed``'s generator of x's backend.
    Other arguments as in ``bim``. Returns x' as a Tensor with no graph.
    """
    who = "pgd"
    eps = check_eps(eps, who)
    steps = arguments.positive_int(who, "steps", steps)
    step_size = _check_step_size(step_size, eps, steps, who)
    clip = check_clip(clip, who)
    if isinstance(restarts, bool) or not isinstance(restarts, int) or restarts < 1:
        raise ValueError(f"{who}: restarts must be a positive int, got {restarts!r}")
    if restarts > 1 and callable(loss):
        raise ValueError(f"{who}: restarts > 1 compares per-example losses, so loss must be None, "
                         f"'cross_entropy' or 'bce', got a function")
    if not isinstance(random_start, bool):
        raise TypeError(f"{who}: random_start must be True or False, got {random_start!r}")
    x = _as_input(model, x, who)
    _check_targets(y, len(x), targeted, who)
    if y is None:
        y = predicted_labels(model, x)
    xp = backend.get_array_module(x)
    best, best_loss = None, None
    for _ in range(restarts):
        x_adv = x.copy()
        if random_start:  # x⁰ = x + δ, δ ~ U(−ε, ε) per pixel, then into the image range
            noise = random.rand(x.shape, dtype=x.dtype, xp=xp) * x.dtype.type(2 * eps) - x.dtype.type(eps)
            x_adv = project(x + noise, x, eps, clip)
        for _ in range(steps):
            check_stop()  # a stop request (minigan.progress) ends the attack here
            x_adv = project(_sign_step(model, x_adv, y, step_size, targeted, loss, who), x, eps, clip)
        if restarts == 1:
            return from_numpy(x_adv)
        j = per_example_loss(model, x_adv, y, loss)
        if targeted:
            j = -j  # the best targeted point has the LOWEST loss on the target class
        if best is None:
            best, best_loss = x_adv, j
        else:  # keep, per example, whichever restart climbed higher
            better = j > best_loss
            keep = backend.to_device(backend.asarray(better), backend.device_of(x)).reshape((-1,) + (1,) * (x.ndim - 1))
            best = xp.where(keep, x_adv, best)
            best_loss = backend.np.where(better, j, best_loss)
    return from_numpy(best)
