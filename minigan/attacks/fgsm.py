"""The fast gradient sign method (FGSM): a gradient with respect to the INPUT, not the weights.

Goodfellow, Shlens & Szegedy 2015, "Explaining and Harnessing Adversarial Examples" (ICLR;
arXiv:1412.6572), Section 4, as taught in CS/DS 541 (Jacob Whitehill), Class 19, slide "Adversarial
training examples", and in IT3320E (Hung Son Nguyen, HUST 2022), slide "Adversarial Examples" (the panda
that becomes a gibbon)::

    x' = x + ε · sign(∇ₓ J(θ, x, y))

Everywhere else in minigan, ``loss.backward()`` is followed by ``opt.step()``: the gradient is
taken with respect to the weights θ and the WEIGHTS move to make the loss smaller. Here the roles
swap, as the CS/DS 541 slide stresses: training follows ∇_w f(x; w) to change the weights, the attack
follows ∇ₓ f(x; w) to change the input:

    training                                  the attack
    --------                                  ----------
    θ requires grad, x is a constant          x requires grad, θ is left alone
    loss.backward(): ∇_θ J into each p.grad   autograd.grad(J, x): ∇ₓ J returned, no .grad touched
    θ ← θ − lr · ∇_θ J      (downhill)        x ← x + ε · sign(∇ₓ J)   (uphill, one step)

Why the sign? Near x the network is roughly linear, J(x + η) ≈ J(x) + ηᵀ∇ₓJ. Among all η with
every pixel changed by at most ε (‖η‖_∞ ≤ ε) the one that raises this most is η = ε·sign(∇ₓJ): each
pixel moves by the full ε in whichever direction helps. With n pixels the change adds up to
ε‖∇ₓJ‖₁, which grows with n even though no single pixel moves more than ε (Section 3 of the paper).

    from minigan.attacks import fgsm
    x_adv = fgsm(model, images, labels, eps=0.25)      # a Tensor, no graph, pixels still in [0, 1]
"""

from __future__ import annotations

import math

import minigan.functional as F
from minigan import arguments, autograd
from minigan.engine import backend
from minigan.engine.grad_mode import enable_grad, no_grad
from minigan.nn.module import evaluating, module_device
from minigan.progress import check_stop
from minigan.surface.tensor import Tensor, from_numpy

LOSSES = ("cross_entropy", "bce")


# ----------------------------------------------------------------------------- checking arguments
def check_eps(eps, who="fgsm") -> float:
    """ε must be a finite number ≥ 0 (ε = 0 leaves x unchanged)."""
    if isinstance(eps, bool) or not isinstance(eps, (int, float)) and not backend.is_numpy_scalar(eps):
        raise TypeError(f"{who}: eps must be a number, got {type(eps).__name__}")
    eps = float(eps)
    if not math.isfinite(eps) or eps < 0:
        raise ValueError(f"{who}: eps must be a finite number >= 0 (the max-norm size of the perturbation), got {eps}")
    return eps


def check_clip(clip, who="fgsm"):
    """``clip`` is None (no clipping) or a pair (low, high) of finite numbers with low < high."""
    if clip is None:
        return None
    if not isinstance(clip, (tuple, list)) or len(clip) != 2:
        raise ValueError(f"{who}: clip must be a pair (low, high) or None, got {clip!r}")
    try:
        low, high = float(clip[0]), float(clip[1])
    except (TypeError, ValueError):
        raise ValueError(f"{who}: clip must hold two numbers (low, high), got {clip!r}") from None
    if not (math.isfinite(low) and math.isfinite(high)) or not low < high:
        raise ValueError(f"{who}: clip must be finite numbers with low < high, got {clip!r}")
    return low, high


def _as_input(model, x, who):
    """``x`` as a backend array on the model's device (floating point) that a tensor may share: a read-only one (a
    dataset read from a file) is copied, so ``from_numpy`` below does not warn about writes nobody makes."""
    if not callable(model) or not callable(getattr(model, "parameters", None)):
        raise TypeError(f"{who}: model must be a minigan Module (callable, with .parameters()), "
                        f"got {type(model).__name__}")
    x = arguments.floating_array(who, "x", x)
    device = module_device(model)
    x = backend.to_device(x, device) if backend.device_of(x) != device.type else x
    return x if getattr(x.flags, "writeable", True) else x.copy()


# ----------------------------------------------------------------------------- the loss J(θ, x, y)
def _loss(logits, y, loss, who):
    """J summed over the batch, and the labels actually used (the model's own when ``y`` is None).

    Summed, not averaged: each example's gradient is then its own ∇ₓJᵢ, whatever the batch size
    (the mean would divide all of them by N — the sign is the same, but a float32 gradient divided
    by 10,000 can underflow to 0, and sign(0) = 0 would leave that pixel unattacked).
    """
    binary = logits.ndim == 1 or (logits.ndim == 2 and logits.shape[1] == 1)
    if loss is None:
        loss = "bce" if binary else "cross_entropy"
    if callable(loss):
        if y is None:
            raise ValueError(f"{who}: with a custom loss function, pass the targets y explicitly")
        return loss(logits, y), y
    if loss not in LOSSES:
        raise ValueError(f"{who}: loss must be one of {LOSSES}, a function (logits, y) -> scalar, "
                         f"or None, got {loss!r}")
    xp = backend.get_array_module(logits.array)
    if loss == "cross_entropy":
        if y is None:  # no labels: attack the class the model predicts now
            y = logits.array.argmax(axis=1)
        return F.cross_entropy(logits, y, reduction="sum"), y
    # A binary model with one logit (a GAN discriminator): J = BCE-with-logits against targets in {0, 1}.
    if y is None:
        y = (logits.array > 0).astype(logits.dtype)
    y_arr = y.array if isinstance(y, Tensor) else y
    if not backend.is_array(y_arr):
        y_arr = backend.np.asarray(y_arr)
    if y_arr.size != logits.numel():
        raise ValueError(f"{who}: a binary model's targets must have one value per example: "
                         f"logits have shape {tuple(logits.shape)}, targets {tuple(y_arr.shape)}")
    y_arr = backend.to_device(y_arr, logits.device).astype(logits.dtype).reshape(logits.shape)
    if y_arr.size and not bool(((y_arr >= 0) & (y_arr <= 1)).all()):
        raise ValueError(f"{who}: a binary model's targets must lie in [0, 1], got values in "
                         f"[{float(xp.min(y_arr))}, {float(xp.max(y_arr))}]")
    return F.binary_cross_entropy_with_logits(logits, from_numpy(y_arr), reduction="sum"), y


# ----------------------------------------------------------------------------- ∇ₓJ and the attack
def input_gradient(model, x, y=None, loss=None, who="input_gradient"):
    """∇ₓJ(θ, x, y): the gradient of the loss with respect to the input images, a Tensor shaped like x.

    The contrast with training, step by step:
      1. x becomes a LEAF that requires grad (in training, x is a constant);
      2. ``minigan.autograd.grad(J, x)`` returns ∂J/∂x alone, where training's ``J.backward()``
         would add ∇_θ J into every ``p.grad``: no parameter, no ``.grad`` and no ``requires_grad``
         flag is touched;
      3. the model runs in evaluation mode (dropout off): we attack the model as it is deployed.
    Each submodule's train/eval mode is put back afterwards.
    """
    x = _as_input(model, x, who)
    with evaluating(model):  # 3. dropout off, batch norm on its running statistics
        x_leaf = from_numpy(x).requires_grad_()  # 1. the input is now the thing we differentiate
        with enable_grad():  # works even when the caller is inside `with no_grad():`
            J, _ = _loss(model(x_leaf), y, loss, who)
            if J.numel() != 1:
                raise ValueError(f"{who}: the loss must be a scalar, got shape {tuple(J.shape)}")
            if not J.requires_grad:
                raise RuntimeError(f"{who}: the model's output does not depend on x, so there is no ∇ₓJ to follow")
            (grad,) = autograd.grad(J, x_leaf)  # 2. ∇ₓJ only; every p.grad stays as it was
        return grad


def fgsm(model, x, y=None, eps=0.1, clip=(0.0, 1.0), loss=None) -> Tensor:
    """The adversarial batch x' = clip(x + ε·sign(∇ₓJ(θ, x, y))) as a Tensor with no graph.

    model : a Module mapping x to logits — (N, C) for a C-class classifier, (N, 1) or (N,) for a
            binary one such as a GAN discriminator.
    x     : (N, ...) floating Tensor or array; y : labels (N,) for a classifier, targets in {0, 1}
            for a binary model, or None to attack the model's own predictions.
    eps   : the max-norm budget: no pixel moves by more than ε. The paper uses ε = 0.25 on MNIST
            with pixels in [0, 1] and ε = .007 for the panda (the slide CS/DS 541 and IT3320E show).
    clip  : (low, high) keeps x' a valid image (default [0, 1]); None skips it.
    loss  : None picks the model's training loss — cross-entropy, or BCE-with-logits for one
            output — or "cross_entropy", "bce", or a function (logits, y) -> scalar Tensor.

    The model's parameters, their ``.grad``, their ``requires_grad`` flags and the train/eval mode
    of every submodule are the same afterwards (see ``input_gradient``).
    """
    eps = check_eps(eps, "fgsm")
    clip = check_clip(clip, "fgsm")
    x = _as_input(model, x, "fgsm")
    grad = input_gradient(model, x, y, loss, who="fgsm")
    with no_grad():
        x_adv = from_numpy(x) + eps * grad.sign()  # one step UP the loss
        return x_adv.clamp(*clip) if clip is not None else x_adv


# ----------------------------------------------------------------------------- measuring an attack
def evaluate_attack(model, images, labels, eps, clip=(0.0, 1.0), batch_size=500):
    """Attack a labelled set at one ε and score it as the paper does (Section 4, MNIST at ε = 0.25).

    Returns a dict of host values:
      error_rate          fraction of x' the model misclassifies (clean error when ε = 0)
      mean_confidence     mean softmax probability of the predicted class on x', over all examples
      mean_confidence_on_errors   the same over the misclassified x' only (the paper's "97.6%
                          average confidence" is this one), or None when nothing is misclassified
      adversarial, predictions, probabilities   x' (N, ...), predicted class (N,), softmax (N, C)
    Runs in batches of ``batch_size`` (the attack needs one forward and one backward per batch).
    """
    eps = check_eps(eps, "evaluate_attack")
    clip = check_clip(clip, "evaluate_attack")
    images = images.array if isinstance(images, Tensor) else images
    labels = backend.asnumpy(labels.array if isinstance(labels, Tensor) else labels)
    if len(images) != len(labels) or len(images) == 0:
        raise ValueError(f"evaluate_attack: got {len(images)} images and {len(labels)} labels, "
                         "expected the same count (> 0)")
    adv, probs = [], []
    with evaluating(model):
        for start in range(0, len(images), batch_size):
            check_stop()  # a stop request (minigan.progress) ends the attack here
            x, y = images[start:start + batch_size], labels[start:start + batch_size]
            x_adv = fgsm(model, x, y, eps, clip=clip) if eps > 0 else from_numpy(_as_input(model, x, "evaluate_attack"))
            with no_grad():
                probs.append(backend.asnumpy(F.softmax(model(x_adv), axis=1).array))
            adv.append(backend.asnumpy(x_adv.array))
    probs = backend.np.concatenate(probs)
    pred = probs.argmax(axis=1)
    conf = probs.max(axis=1)
    wrong = pred != labels
    return {
        "error_rate": float(wrong.mean()),
        "mean_confidence": float(conf.mean()),
        "mean_confidence_on_errors": float(conf[wrong].mean()) if wrong.any() else None,
        "adversarial": backend.np.concatenate(adv),
        "predictions": pred,
        "probabilities": probs,
    }
