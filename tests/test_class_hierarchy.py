"""Public classes are related as PyTorch's: for every pair of public classes that minigan and PyTorch both have (in
the top level, nn, optim, optim.lr_scheduler, utils.data, autograd, their public submodules, and distributions
where minigan has it), ``issubclass(A, B)`` answers as PyTorch's, so that ``isinstance(m, nn.AdaptiveAvgPool2d)``
in a loop that replaces every layer of one kind catches the layers PyTorch's would, and no others.  A lazy layer
becomes its plain layer at its first call (``cls_to_become``), as PyTorch's."""

import importlib
import inspect

import pytest

import minigan
from minigan import nn

torch = pytest.importorskip("torch")

NAMESPACES = ("", "nn", "nn.init", "nn.parallel", "nn.utils", "nn.utils.parametrize", "nn.utils.parametrizations",
              "optim", "optim.optimizer", "optim.lr_scheduler", "utils", "utils.data", "autograd",
              "autograd.function", "autograd.functional", "autograd.graph", "linalg", "cuda", "backends.cuda",
              "backends.cudnn", "accelerator", "storage", "serialization", "distributions")


def _module(root, name):
    try:
        return importlib.import_module(f"{root}.{name}" if name else root)
    except ImportError:
        return None


def _shared_classes():
    """{"nn.Linear": (torch's class, minigan's class)} for every public class both namespaces name."""
    shared = {}
    for name in NAMESPACES:
        ours, theirs = _module("minigan", name), _module("torch", name)
        if ours is None or theirs is None:
            continue
        for attr in dir(theirs):
            if attr.startswith("_"):
                continue
            a, b = getattr(theirs, attr, None), getattr(ours, attr, None)
            if inspect.isclass(a) and inspect.isclass(b):
                shared[f"{name or 'top'}.{attr}"] = (a, b)
    return shared


SHARED = _shared_classes()


def test_the_survey_covers_the_shared_surface():
    """The pairs below are drawn from a surface of real size (a survey that found nothing would pass)."""
    for name in ("top.Tensor", "top.Size", "nn.Parameter", "nn.Linear", "nn.ReLU6", "optim.SGD",
                 "optim.lr_scheduler.LRScheduler", "utils.data.Dataset", "autograd.Function"):
        assert name in SHARED, name
    assert len(SHARED) > 150


def test_issubclass_answers_as_pytorchs_for_every_pair_of_shared_classes():
    differences = []
    for a_name, (torch_a, ours_a) in SHARED.items():
        for b_name, (torch_b, ours_b) in SHARED.items():
            if torch_a is not torch_b and issubclass(torch_a, torch_b) != issubclass(ours_a, ours_b):
                differences.append(f"issubclass({a_name}, {b_name}): PyTorch {issubclass(torch_a, torch_b)}, "
                                   f"minigan {issubclass(ours_a, ours_b)}")
    assert not differences, "\n".join(differences)


# (the first input of each lazy layer; the constructor's arguments after the sized one)
LAZY_CALLS = {"LazyLinear": ((4,), (2, 3)), "LazyConv1d": ((4, 3), (2, 3, 8)), "LazyConv2d": ((4, 3), (2, 3, 8, 8)),
              "LazyConvTranspose1d": ((4, 3), (2, 3, 8)), "LazyConvTranspose2d": ((4, 3), (2, 3, 8, 8)),
              "LazyBatchNorm1d": ((), (2, 3)), "LazyBatchNorm2d": ((), (2, 3, 4, 4)),
              "LazyInstanceNorm1d": ((), (2, 3, 8)), "LazyInstanceNorm2d": ((), (2, 3, 4, 4))}
LAZY = sorted(name for name in dir(nn) if name.startswith("Lazy") and hasattr(torch.nn, name))


def test_every_lazy_layer_of_minigan_is_surveyed():
    assert set(LAZY) <= set(LAZY_CALLS), set(LAZY) - set(LAZY_CALLS)
    assert len(LAZY) >= 7


@pytest.mark.parametrize("name", LAZY)
def test_a_lazy_layer_becomes_pytorchs_class_at_its_first_call(name):
    args, shape = LAZY_CALLS[name]
    theirs, ours = getattr(torch.nn, name)(*args), getattr(nn, name)(*args)
    assert getattr(nn, name).cls_to_become.__name__ == getattr(torch.nn, name).cls_to_become.__name__
    before = {b: isinstance(ours, getattr(nn, b)) for b, _ in _nn_classes()}
    assert before == {b: isinstance(theirs, getattr(torch.nn, b)) for b, _ in _nn_classes()}
    theirs(torch.zeros(shape))
    ours(minigan.zeros(shape))
    assert type(ours) is getattr(nn, type(theirs).__name__)
    after = {b: isinstance(ours, getattr(nn, b)) for b, _ in _nn_classes()}
    assert after == {b: isinstance(theirs, getattr(torch.nn, b)) for b, _ in _nn_classes()}


def _nn_classes():
    return [(key[3:], pair) for key, pair in SHARED.items() if key.startswith("nn.") and key.count(".") == 1]
