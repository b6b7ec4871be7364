"""Public classes are related as PyTorch's, checked without PyTorch: tests/pytorch/pytorch_records/class_hierarchy.json
holds, for every public class of PyTorch's namespaces below, the other classes of those namespaces it is a
subclass of in PyTorch (tests/pytorch/record_pytorch.py asks PyTorch, through ``record`` here), and the class each lazy
layer becomes at its first call.  Here each pair of classes that minigan also has is asked of minigan.
Where PyTorch is installed, tests/pytorch/test_class_hierarchy.py checks that the record is what PyTorch says."""

import importlib
import inspect

import pytest

import minigan
from minigan import nn
from pytorch import record_pytorch

NAMESPACES = ("", "nn", "nn.init", "nn.parallel", "nn.utils", "nn.utils.parametrize", "nn.utils.parametrizations",
              "optim", "optim.optimizer", "optim.lr_scheduler", "utils", "utils.data", "autograd",
              "autograd.function", "autograd.functional", "autograd.graph", "linalg", "cuda", "backends.cuda",
              "backends.cudnn", "accelerator", "storage", "serialization", "distributions")

# each lazy layer: its constructor's arguments after the size it infers, and the shape of a first input
LAZY_CALLS = {"LazyLinear": ((4,), (2, 3)), "LazyConv1d": ((4, 3), (2, 3, 8)), "LazyConv2d": ((4, 3), (2, 3, 8, 8)),
              "LazyConv3d": ((4, 3), (2, 3, 6, 6, 6)), "LazyConvTranspose1d": ((4, 3), (2, 3, 8)),
              "LazyConvTranspose2d": ((4, 3), (2, 3, 8, 8)), "LazyConvTranspose3d": ((4, 3), (2, 3, 6, 6, 6)),
              "LazyBatchNorm1d": ((), (2, 3)), "LazyBatchNorm2d": ((), (2, 3, 4, 4)),
              "LazyBatchNorm3d": ((), (2, 3, 4, 4, 4)), "LazyInstanceNorm1d": ((), (2, 3, 8)),
              "LazyInstanceNorm2d": ((), (2, 3, 4, 4)), "LazyInstanceNorm3d": ((), (2, 3, 4, 4, 4))}


def public_classes(library):
    """{"nn.Linear": the class} for every public class of the namespaces above that ``library`` (torch or
    minigan) defines ("top." for the top level; not the typing and abc names its modules import); a class named in
    two namespaces is listed under each."""
    classes = {}
    for name in NAMESPACES:
        try:
            module = importlib.import_module(f"{library.__name__}.{name}" if name else library.__name__)
        except ImportError:
            continue
        for attr in dir(module):
            value = getattr(module, attr, None)
            own = inspect.isclass(value) and value.__module__.split(".")[0] == library.__name__
            if own and not attr.startswith("_"):
                classes[f"{name or 'top'}.{attr}"] = value
    return classes


# torch.cuda's streams and events stand on CUDA's base classes (torch.Stream, torch.Event) in a CUDA build and on
# stand-ins in a CPU build: which one a record was taken on would decide the answer, so neither is recorded
BUILD_SPECIFIC = {"cuda.Stream", "cuda.ExternalStream", "cuda.Event"}


def record():
    """PyTorch's answers (called by tests/pytorch/record_pytorch.py): "nn.ReLU6" -> the classes it is a subclass of,
    itself left out; "first call: nn.LazyLinear" -> the name of the class it becomes."""
    import torch
    classes = public_classes(torch)
    out = {a: sorted(b for b, B in classes.items() if b != a and A is not B and issubclass(A, B))
           for a, A in sorted(classes.items()) if a not in BUILD_SPECIFIC}
    for name, (args, shape) in sorted(LAZY_CALLS.items()):
        layer = getattr(torch.nn, name)(*args)
        layer(torch.zeros(shape))
        out[f"first call: nn.{name}"] = type(layer).__name__
    return out


RECORDED = record_pytorch.load("class_hierarchy")["records"]
OURS = public_classes(minigan)


def test_the_record_covers_the_shared_surface():
    """A record (or a survey) that found little would let the test below pass by comparing nothing."""
    shared = [a for a in RECORDED if a in OURS]
    for name in ("top.Tensor", "top.Size", "nn.Parameter", "nn.Linear", "nn.ReLU6", "optim.SGD",
                 "optim.lr_scheduler.LRScheduler", "utils.data.Dataset", "autograd.Function"):
        assert name in shared, name
    assert len(shared) > 150


def test_issubclass_answers_as_pytorchs_for_every_pair_of_shared_classes():
    differences = []
    for a, supers in RECORDED.items():
        if a.startswith("first call: ") or a not in OURS:
            continue
        theirs = {b for b in supers if b in OURS}
        ours = {b for b in RECORDED if b in OURS and b != a and OURS[a] is not OURS[b] and issubclass(OURS[a], OURS[b])}
        differences += [f"issubclass({a}, {b}): PyTorch {b in theirs}, minigan {b in ours}" for b in theirs ^ ours]
    assert not differences, "\n".join(sorted(differences))


LAZY = sorted(name for name in dir(nn) if name.startswith("Lazy") and f"first call: nn.{name}" in RECORDED)


def test_every_lazy_layer_of_minigan_is_recorded():
    layers = [name for name in dir(nn) if name.startswith("Lazy") and getattr(getattr(nn, name), "cls_to_become", None)]
    assert LAZY == sorted(layers)
    assert len(LAZY) >= 7


@pytest.mark.parametrize("name", LAZY)
def test_a_lazy_layer_becomes_pytorchs_class_at_its_first_call(name):
    args, shape = LAZY_CALLS[name]
    layer = getattr(nn, name)(*args)
    becomes = RECORDED[f"first call: nn.{name}"]
    assert getattr(nn, name).cls_to_become is getattr(nn, becomes)
    layer(minigan.zeros(shape))
    assert type(layer) is getattr(nn, becomes)  # (its issubclass answers are the plain class's, checked above)
