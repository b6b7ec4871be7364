"""The adversarial patch (Brown et al. 2017) on its own terms: pasting replaces exactly the pixels under the patch, the
update's gradient is the derivative of the batch's loss with respect to the patch (central differences, float64, a
network with a convolution), the step goes down the target's loss and stays in the clip range, a trained patch pulls
a classifier toward its target where a random one does not, and bad input is refused at the door."""

import pytest

import minigan
import minigan.functional as F
from library.helpers_attacks_iterative import SmallConv
from minigan import nn
from minigan.attacks.patch import apply_patch, patch_success, patch_update, random_locations, train_patch
from minigan.engine.backend import np


def _setup(seed=0, n=5, shape=(2, 6, 6), size=(2, 3)):
    minigan.manual_seed(seed)
    model = SmallConv(shape, 4).double()
    rng = np.random.default_rng(seed)
    images = rng.uniform(size=(n, *shape))
    patch = rng.uniform(size=(shape[0], *size))
    where = random_locations(n, images.shape, patch.shape, rng)
    return model, images, patch, where


def test_apply_patch_replaces_exactly_the_pixels_under_it_and_leaves_the_input_alone():
    _, images, patch, where = _setup()
    before = images.copy()
    out = apply_patch(images, patch, where)
    assert np.array_equal(images, before)
    for n, (r, c) in enumerate(where):
        assert np.array_equal(out[n, :, r:r + 2, c:c + 3], patch)
        rest = np.ones(images.shape[1:], bool)
        rest[:, r:r + 2, c:c + 3] = False
        assert np.array_equal(out[n][rest], images[n][rest])


def test_random_locations_cover_every_place_that_keeps_the_patch_inside():
    where = random_locations(4000, (1, 1, 6, 8), (1, 2, 3), np.random.default_rng(0))
    assert where[:, 0].min() == 0 and where[:, 0].max() == 4 and where[:, 1].min() == 0 and where[:, 1].max() == 5


def _loss(model, images, patch, where, target):
    with minigan.no_grad():
        logits = model(minigan.tensor(apply_patch(images, patch, where)))
        return F.cross_entropy(logits, np.full(len(images), target), reduction="sum").item()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_update_steps_along_the_sign_of_the_patch_gradient_by_central_differences(seed):
    model, images, patch, where = _setup(seed)
    model.eval()
    target, h, alpha = 1, 1e-6, 0.01
    grad = np.zeros_like(patch)
    for i in np.ndindex(patch.shape):
        up, down = patch.copy(), patch.copy()
        up[i] += h
        down[i] -= h
        grad[i] = (_loss(model, images, up, where, target) - _loss(model, images, down, where, target)) / (2 * h)
    new = patch_update(model, patch, images, target, where, alpha, clip=None)
    clear = np.abs(grad) > 1e-6  # where the sign is not decided by rounding
    assert np.allclose((new - patch)[clear], -alpha * np.sign(grad[clear]), atol=1e-12)
    assert _loss(model, images, new, where, target) < _loss(model, images, patch, where, target)


def test_the_update_stays_in_the_clip_range_keeps_the_dtype_and_leaves_the_model_alone():
    model, images, patch, where = _setup()
    model = model.float()
    new = patch_update(model, patch.astype(np.float32), images.astype(np.float32), 2, where, 0.5, clip=(0.2, 0.7))
    assert new.dtype == np.float32 and new.min() >= 0.2 and new.max() <= 0.7
    assert all(p.grad is None for p in model.parameters()) and model.training


@pytest.mark.parametrize("target", [0, 1, 2])
def test_a_trained_patch_pulls_toward_its_target_and_a_random_one_less(target):
    minigan.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(36, 3)).eval()
    with minigan.no_grad():  # a sharper classifier of zero-mean weights: its decision follows the pattern
        w = model[1].weight
        w.sub_(w.mean(axis=1, keepdims=True))
        w.mul_(10.0)
    rng = np.random.default_rng(0)
    images = rng.uniform(size=(200, 1, 6, 6)).astype(np.float32)
    labels = np.asarray(minigan.classifier.predict(model, images))
    patch = train_patch(model, images, target, size=4, steps=60, batch_size=32, step_size=0.05, labels=labels)
    random = np.mean([patch_success(model, images, labels, rng.uniform(size=patch.shape).astype(np.float32), target)
                      for _ in range(5)])
    trained = patch_success(model, images, labels, patch, target)
    assert trained > 0.35 and trained > random + 0.15, (trained, random)


def test_bad_input_is_refused_with_what_to_do():
    model, images, patch, where = _setup()
    with pytest.raises(ValueError, match="outside"):
        patch_update(model, patch, images, 0, where + 5, 0.1)
    with pytest.raises(ValueError, match="channels"):
        apply_patch(images, patch[:1], where)
    with pytest.raises(ValueError, match=r"\(5, 2\) integer"):
        apply_patch(images, patch, where[:3])
    with pytest.raises(ValueError, match="step_size must be a finite number >= 0"):
        patch_update(model, patch, images, 0, where, -0.1)
