"""``with torch.device(d):`` (PyTorch 2.0+): the factories inside make their tensors on ``d`` (and the layers their
parameters), ``get_default_device()`` is ``d`` there, and on leaving (also by an exception) the device before is
back; blocks nest and one device object may be entered twice.  minigan has "cpu" and "cuda" (CuPy): without CuPy,
entering "cuda" is refused as every other door to the GPU refuses, and the device stays as it was.  A device is not a
decorator (PyTorch's TypeError: it is not callable)."""

from __future__ import annotations

import pytest

import minigan
from minigan.engine import backend

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

FACTORIES = {
    "zeros": lambda lib: lib.zeros(2, 3), "ones": lambda lib: lib.ones(2), "empty": lambda lib: lib.empty(4),
    "full": lambda lib: lib.full((2,), 1.5), "tensor": lambda lib: lib.tensor([1.0, 2.0]),
    "arange": lambda lib: lib.arange(5), "linspace": lambda lib: lib.linspace(0, 1, 3), "eye": lambda lib: lib.eye(2),
    "rand": lambda lib: lib.rand(2), "randn": lambda lib: lib.randn(2), "randint": lambda lib: lib.randint(0, 5, (3,)),
    "randperm": lambda lib: lib.randperm(4), "Linear": lambda lib: lib.nn.Linear(2, 3).weight,
}


def _devices(lib, make, nest):
    seen = []
    with lib.device("cpu") as d:
        seen.append((d is not None and str(d), str(lib.get_default_device()), str(make(lib).device)))
        if nest:
            with d, lib.device("cpu"):
                seen.append(str(make(lib).device))
            seen.append(str(lib.get_default_device()))
    try:
        with lib.device("cpu"):
            raise KeyError("inside")
    except KeyError:
        seen.append(str(lib.get_default_device()))
    seen.append((str(lib.get_default_device()), str(make(lib).device)))
    return seen


@pytest.mark.parametrize("nest", [False, True])
@pytest.mark.parametrize("name", FACTORIES)
def test_factories_inside_a_device_block_are_pytorchs(name, nest):
    assert _devices(minigan, FACTORIES[name], nest) == _devices(torch, FACTORIES[name], nest)


def test_a_device_block_enters_as_itself():
    for lib in (torch, minigan):
        d = lib.device("cpu")
        with d as entered:
            assert entered is d


def test_a_device_is_not_a_decorator():
    for lib in (torch, minigan):
        with pytest.raises(TypeError):
            lib.device("cpu")(lambda: None)


@pytest.mark.skipif(backend.cupy_available(), reason="checks the refusal without CuPy")
@pytest.mark.parametrize("name", ["cuda", "cuda:0"])
def test_a_cuda_block_without_cupy_is_refused_as_the_other_doors(name):
    with pytest.raises(Exception) as door:
        minigan.zeros(1, device=name)
    with pytest.raises(type(door.value), match="CuPy|cupy"):
        with minigan.device(name):
            pass
    assert str(minigan.get_default_device()) == "cpu" and str(minigan.zeros(1).device) == "cpu"


def test_a_second_gpu_is_refused_as_the_other_doors():
    with pytest.raises(Exception) as door:
        minigan.zeros(1, device="cuda:1")
    with pytest.raises(type(door.value)):
        with minigan.device("cuda:1"):
            pass
    assert str(minigan.get_default_device()) == "cpu"


@pytest.mark.skipif(not backend.cupy_available(), reason="needs CuPy and an NVIDIA GPU")
def test_a_cuda_block_makes_gpu_tensors_and_a_cpu_block_inside_it_host_ones():
    with minigan.device("cuda"):
        assert minigan.zeros(2).is_cuda and minigan.nn.Linear(2, 2).weight.is_cuda
        with minigan.device("cpu"):
            assert not minigan.randn(2).is_cuda and str(minigan.get_default_device()) == "cpu"
        assert minigan.arange(3).is_cuda
    assert not minigan.zeros(2).is_cuda
