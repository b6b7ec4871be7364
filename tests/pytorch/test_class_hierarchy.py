"""Public classes are related as PyTorch's, asked of the PyTorch installed
(tests/pytorch/test_recorded_class_hierarchy.py compares minigan with PyTorch's recorded answers, without PyTorch; that
the record is PyTorch's: tests/pytorch/test_records_are_pytorchs.py): every pair of public classes that minigan and
PyTorch share answers ``issubclass(A, B)`` as PyTorch's (so that ``isinstance(m, nn.AdaptiveAvgPool2d)`` in a loop that
replaces every layer of one kind catches the layers PyTorch's would, and no others); a lazy layer is an instance of the
classes PyTorch's is, before its first call and after it."""

import pytest

import minigan
from minigan import nn
from pytorch.test_recorded_class_hierarchy import LAZY, LAZY_CALLS, public_classes

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

THEIRS, OURS = public_classes(torch), public_classes(minigan)
SHARED = sorted(set(THEIRS) & set(OURS))


def test_issubclass_answers_as_pytorchs_for_every_pair_of_shared_classes():
    assert len(SHARED) > 150 and {"top.Tensor", "top.Size", "nn.Parameter", "nn.ReLU6"} <= set(SHARED)
    differences = [f"issubclass({a}, {b}): PyTorch {issubclass(THEIRS[a], THEIRS[b])}, minigan "
                   f"{issubclass(OURS[a], OURS[b])}" for a in SHARED for b in SHARED
                   if THEIRS[a] is not THEIRS[b] and issubclass(THEIRS[a], THEIRS[b]) != issubclass(OURS[a], OURS[b])]
    assert not differences, "\n".join(differences)


NN = [key for key in SHARED if key.startswith("nn.") and key.count(".") == 1]


def _instance_of(layer, library):
    return {key: isinstance(layer, getattr(library.nn, key[3:])) for key in NN}


@pytest.mark.parametrize("name", LAZY)
def test_a_lazy_layer_is_what_pytorchs_is_before_and_after_its_first_call(name):
    args, shape = LAZY_CALLS[name]
    theirs, ours = getattr(torch.nn, name)(*args), getattr(nn, name)(*args)
    assert _instance_of(ours, minigan) == _instance_of(theirs, torch)
    theirs(torch.zeros(shape))
    ours(minigan.zeros(shape))
    assert type(ours).__name__ == type(theirs).__name__
    assert _instance_of(ours, minigan) == _instance_of(theirs, torch)
