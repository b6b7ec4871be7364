"""A read-only NumPy array given to minigan's own functions (an attack, a training loop, a dataset) gives no warning:
the user shared nothing.  ``minigan.from_numpy`` (and ``as_tensor``, which shares as it does) of such an array warns,
as PyTorch's does, since an in-place op on the tensor would fail.  Datasets read from files are often read-only
(np.frombuffer, np.load(mmap_mode="r")): the Fashion-MNIST commands warned at every batch before."""

import warnings

import numpy as np
import pytest

import minigan
from minigan import attacks, nn
from minigan.attacks import adversarial_training, iterative, robustness
from minigan.attacks.fgsm import evaluate_attack
from minigan.classifier import train_classifier
from minigan.utils.data import DataLoader, TensorDataset


def _read_only(a):
    a = np.ascontiguousarray(a)
    a.flags.writeable = False
    return a


def _data(n=16):
    rng = np.random.default_rng(0)
    return _read_only(rng.random((n, 1, 4, 4), dtype=np.float32)), _read_only(rng.integers(0, 3, n))


def _model():
    minigan.manual_seed(0)
    return nn.Sequential(nn.Flatten(), nn.Linear(16, 3))


USES = {
    "fgsm": lambda x, y: attacks.fgsm(_model(), x, y, eps=0.1),
    "bim": lambda x, y: attacks.bim(_model(), x, y, eps=0.1, steps=2),
    "pgd": lambda x, y: attacks.pgd(_model(), x, y, eps=0.1, steps=2),
    "evaluate_attack": lambda x, y: evaluate_attack(_model(), x, y, eps=0.1),
    "evaluate_attack at eps 0": lambda x, y: evaluate_attack(_model(), x, y, eps=0.0),
    "accuracy": lambda x, y: robustness.accuracy(_model(), x, y),
    "predicted_labels": lambda x, y: iterative.predicted_labels(_model(), x),
    "per_example_loss": lambda x, y: iterative.per_example_loss(_model(), x, y),
    "adversarial_loss": lambda x, y: adversarial_training.adversarial_loss(_model(), x, y, 0.1),
    "pgd_adversarial_loss": lambda x, y: adversarial_training.pgd_adversarial_loss(_model(), x, y, 0.1, steps=2),
    "train_classifier": lambda x, y: train_classifier(_model(), x, y, epochs=1, batch_size=8),
    "train_adversarially": lambda x, y: attacks.train_adversarially(_model(), x, y, eps=0.1, epochs=1, batch_size=8),
    "TensorDataset and DataLoader": lambda x, y: [b for b in DataLoader(TensorDataset(x, y), batch_size=5)],
}


@pytest.mark.parametrize("use", USES)
def test_minigans_own_functions_take_a_read_only_array_without_a_warning(use):
    x, y = _data()
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="The given NumPy array is not writable")
        USES[use](x, y)


@pytest.mark.parametrize("share", [minigan.from_numpy, minigan.as_tensor, minigan.asarray])
def test_sharing_a_read_only_array_at_the_door_warns(share):
    """(PyTorch warns once a process, so tests/pytorch/test_creation.py compares in fresh ones.)"""
    x, _ = _data()
    with pytest.warns(UserWarning, match="not writable"):
        shared = share(x)
    assert np.shares_memory(shared.numpy(), x)
