"""The adversarial patch: one small picture that, pasted anywhere on any image, makes a classifier say one class.

Brown, Mané, Roy, Abadi & Gilmer 2017, "Adversarial Patch" (arXiv:1712.09665), Section 2. FGSM and PGD craft
a perturbation for ONE image, spread thin over every pixel and bounded by ε. The patch turns each of those round:

* universal: one patch p for every image, trained on many;
* robust: it works wherever it lands, because it is trained at random positions (the paper's "expectation over
  transformation" also scales and rotates it; here it only moves);
* targeted: it pulls every image toward one chosen class t;
* unbounded: it REPLACES the pixels under it (any value in the image range), where FGSM adds at most ε to each.

Pasting p into image x at location ℓ = (row, col) is A(p, x, ℓ). One training step descends the cross-entropy
toward t, summed over a batch of images, each with a location drawn at random::

    p ← clip(p − α · sign(Σₙ ∂J(θ, A(p, xₙ, ℓₙ), t) / ∂p))

and by the chain rule ∂J/∂p is the input gradient ∇ₓJ read at the pixels the patch covers: patch pixel (c, i, j)
sits at image pixel (c, rowₙ + i, colₙ + j), so its gradient is the sum over n of ∇ₓJ there. The sign makes the
step's size α per pixel whatever the gradient's scale (as in PGD, ``minigan.attacks.iterative``).

    from minigan.attacks.patch import train_patch, patch_success
    patch = train_patch(model, images, target=3, size=3, steps=300)   # (C, 3, 3) in [0, 1]
    patch_success(model, test_images, test_labels, patch, target=3)  # share of images now called 3
"""

from __future__ import annotations

import minigan.arguments as arguments
from minigan.attacks.fgsm import check_clip, input_gradient
from minigan.engine import backend
from minigan.engine.backend import np
from minigan.progress import check_stop


# ----------------------------------------------------------------------------- checking arguments
def _images(images, who):
    """``images`` as a host (N, C, H, W) floating array."""
    images = backend.asnumpy(arguments.floating_array(who, "images", images))
    if images.ndim != 4:
        raise ValueError(f"{who}: images must have shape (N, C, H, W), got {tuple(images.shape)}")
    return images


def _check_patch(patch, images, who):
    """``patch`` as a host (C, p, q) array with the images' channels, no larger than they are."""
    patch = backend.asnumpy(arguments.floating_array(who, "patch", patch))
    if patch.ndim != 3 or patch.shape[0] != images.shape[1] or patch.shape[1] > images.shape[2] \
            or patch.shape[2] > images.shape[3]:
        raise ValueError(f"{who}: patch must have shape (C, p, q) with the images' C = {images.shape[1]} channels "
                         f"and p, q no larger than the images' {images.shape[2]}x{images.shape[3]}, "
                         f"got {tuple(patch.shape)}")
    return patch


def _check_locations(locations, images, patch_shape, who):
    """``locations`` as an (N, 2) integer array of top-left corners that keep the whole patch inside each image."""
    locations = np.asarray(backend.asnumpy(locations))
    n, (_, p, q) = len(images), patch_shape
    if locations.shape != (n, 2) or locations.dtype.kind not in "iu":
        raise ValueError(f"{who}: locations must be an ({n}, 2) integer array of (row, col), one per image, got "
                         f"shape {locations.shape} of {locations.dtype}")
    if n and (locations.min() < 0 or (locations[:, 0] + p).max() > images.shape[2]
              or (locations[:, 1] + q).max() > images.shape[3]):
        raise ValueError(f"{who}: a location puts the {p}x{q} patch outside the {images.shape[2]}x{images.shape[3]} "
                         "image: rows must lie in [0, H − p], cols in [0, W − q] (random_locations draws them)")
    return locations


# ----------------------------------------------------------------------------- where the patch goes
def random_locations(n: int, image_shape, patch_shape, rng) -> np.ndarray:
    """``n`` top-left corners (row, col), uniform over every position that keeps the patch inside the image."""
    (h, w), (p, q) = image_shape[-2:], patch_shape[-2:]
    return np.stack([rng.integers(0, h - p + 1, n), rng.integers(0, w - q + 1, n)], axis=1)


def _window_index(locations, patch_shape):
    """Index arrays (n, rows, cols), each broadcasting to (N, p, q): image n's pixels under the patch."""
    p, q = patch_shape[-2:]
    n = np.arange(len(locations))[:, None, None]
    rows = locations[:, 0, None, None] + np.arange(p)[None, :, None]
    cols = locations[:, 1, None, None] + np.arange(q)[None, None, :]
    return n, rows, cols


def apply_patch(images, patch, locations) -> np.ndarray:
    """A(p, x, ℓ) for a batch: a copy of ``images`` (N, C, H, W) with ``patch`` (C, p, q) pasted over the pixels
    whose top-left corner is ``locations[n]`` in image n (the pixels under it are replaced, not added to)."""
    images = _images(images, "apply_patch")
    patch = _check_patch(patch, images, "apply_patch")
    locations = _check_locations(locations, images, patch.shape, "apply_patch")
    out = images.copy()
    n, rows, cols = _window_index(locations, patch.shape)
    out.transpose(0, 2, 3, 1)[n, rows, cols] = patch.transpose(1, 2, 0)  # channels last: one write per pixel
    return out


# ----------------------------------------------------------------------------- one step, and training
def patch_update(model, patch, images, target, locations, step_size, clip=(0.0, 1.0)) -> np.ndarray:
    """One signed gradient step of the patch toward class ``target``: p ← clip(p − α·sign(Σₙ ∂J/∂p)).

    Pastes ``patch`` (C, p, q) into each image at ``locations[n]``, takes ∇ₓ of the cross-entropy toward
    ``target`` summed over the batch (``input_gradient``: no parameter's ``.grad`` changes), adds up each image's
    gradient over the pixels the patch covers, and steps α DOWN that loss (a targeted attack), keeping every pixel
    in ``clip``. Returns the new patch, with the patch's dtype; the patch given is not changed.
    """
    step_size = arguments.non_negative_float("patch_update", "step_size", step_size)
    clip = check_clip(clip, "patch_update")
    images = _images(images, "patch_update")
    patch = _check_patch(patch, images, "patch_update")
    locations = _check_locations(locations, images, patch.shape, "patch_update")
    targets = np.full(len(images), int(target))
    grad = backend.asnumpy(input_gradient(model, apply_patch(images, patch, locations), targets,
                                          who="patch_update").array)
    n, rows, cols = _window_index(locations, patch.shape)
    g = grad.transpose(0, 2, 3, 1)[n, rows, cols].sum(axis=0).transpose(2, 0, 1)  # (C, p, q): ∂J/∂p, chain rule
    new = patch - patch.dtype.type(step_size) * np.sign(g)
    return np.clip(new, *clip).astype(patch.dtype) if clip is not None else new.astype(patch.dtype)


def train_patch(model, images, target, size=3, steps=300, batch_size=64, step_size=0.05, seed=0,
                clip=(0.0, 1.0), labels=None, progress=None) -> np.ndarray:
    """A universal, robust, targeted patch: ``steps`` updates (``patch_update``), each on a minibatch of ``images``
    drawn at random, every image at a location drawn at random. The patch starts uniform in ``clip``.

    ``labels``, when given, leaves out the images of the target class (they say ``target`` already). ``seed``
    draws the start, the minibatches and the locations; ``progress(done, total)`` is called after each step.
    Returns the (C, size, size) patch as a host array of the images' dtype.
    """
    images = _images(images, "train_patch")
    size = arguments.positive_int("train_patch", "size", size)
    steps = arguments.positive_int("train_patch", "steps", steps)
    batch_size = arguments.positive_int("train_patch", "batch_size", batch_size)
    low, high = check_clip(clip, "train_patch") or (0.0, 1.0)
    if labels is not None:
        images = images[np.asarray(backend.asnumpy(labels)) != int(target)]
    if size > min(images.shape[2:]) or len(images) == 0:
        raise ValueError(f"train_patch: a {size}x{size} patch needs images at least that large, and some images "
                         f"not of the target class; got {len(images)} of shape {images.shape[1:]}")
    rng = np.random.default_rng(seed)
    patch = rng.uniform(low, high, (images.shape[1], size, size)).astype(images.dtype)
    for step in range(steps):
        check_stop()  # a stop request (minigan.progress) ends the training here
        batch = images[rng.integers(0, len(images), min(batch_size, len(images)))]
        where = random_locations(len(batch), batch.shape, patch.shape, rng)
        patch = patch_update(model, patch, batch, target, where, step_size, clip)
        if progress is not None:
            progress(step + 1, steps)
    return patch


def patch_success(model, images, labels, patch, target, draws=4, seed=0, batch_size=500) -> float:
    """The targeted success rate: the share of (image, location) pairs, over the images NOT of class ``target`` and
    ``draws`` random locations each, that the model classifies as ``target`` once the patch is pasted there."""
    from minigan.classifier import predict

    images = _images(images, "patch_success")
    patch = _check_patch(patch, images, "patch_success")
    labels = np.asarray(backend.asnumpy(labels))
    others = images[labels != int(target)]
    rng = np.random.default_rng(seed)
    hits = 0
    for _ in range(arguments.positive_int("patch_success", "draws", draws)):
        pasted = apply_patch(others, patch, random_locations(len(others), others.shape, patch.shape, rng))
        hits += int((backend.asnumpy(predict(model, pasted, batch_size)) == int(target)).sum())
    return hits / (draws * len(others))
