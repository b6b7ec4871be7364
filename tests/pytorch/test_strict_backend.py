"""CuPy's code path on the CPU: the strict stand-in (tests/strict_backend.py) refuses what CuPy refuses, and
minigan's optimizers, metrics, checkpoints and command-line runs work on it and agree with NumPy.

The engine, layers, GAN trainers and attacks run on it through the ``xp_backend`` fixture (conftest.py).


(Its torch-free tests: tests/engine/test_strict_backend.py.)"""

import pytest
from strict_backend import installed

import minigan
import minigan.functional as F
import minigan.nn as nn
from pytorch import test_fluency


def test_a_gpu_tensors_device_is_cuda_0_as_pytorchs(device):
    torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
    x = minigan.ones(2).to("cuda")
    params = nn.Linear(2, 1).to(minigan.device("cuda"))
    # PyTorch's CUDA tensor: device(type='cuda', index=0), whatever device string moved it there
    assert repr(x.device) == repr(torch.device("cuda", 0)) and str(x.device) == "cuda:0" and x.device.index == 0
    assert x.device == params.weight.device == minigan.device("cuda:0") == "cuda:0"
    assert (x.device == minigan.device("cuda")) is (torch.device("cuda", 0) == torch.device("cuda")) is False
    assert x.device.type == "cuda" and x.is_cuda and next(params.parameters()).device.type == "cuda"
    assert "device='cuda:0'" in repr(x)
    assert minigan.ones(2, device=x.device).device == x.device  # a tensor's device names where to make another
    assert F.cross_entropy(minigan.zeros(2, 3, device=x.device), [0, 2]).device == x.device
    assert x.get_device() == 0 and minigan.ones(1).to("cpu").get_device() == -1  # as PyTorch's
    assert x.to("cuda:0") is x
    for move in (lambda: x.to("cuda:1"), lambda: minigan.zeros(2, device="cuda:1"),
                 lambda: nn.Linear(2, 1).to(minigan.device("cuda", 1))):
        with pytest.raises(minigan.BackendError, match="one GPU, cuda:0; got 'cuda:1'"):
            move()


def test_cuda_typed_constructors_make_device_tensors(device):
    x = minigan.cuda.FloatTensor(2, 3)
    assert x.device.type == "cuda" and x.dtype == minigan.float32 and isinstance(x, minigan.cuda.FloatTensor)
    y = minigan.cuda.LongTensor([1, 2])
    assert y.device.type == "cuda" and y.dtype == minigan.int64 and not isinstance(y, minigan.cuda.FloatTensor)
    assert not isinstance(x.to("cpu"), minigan.cuda.FloatTensor) and isinstance(x.to("cpu"), minigan.FloatTensor)
    assert x.to("cpu").type(minigan.cuda.DoubleTensor).is_cuda and x.type("torch.FloatTensor").device == "cpu"
    assert x.type() == "minigan.cuda.FloatTensor" and x.type(minigan.LongTensor).device == "cpu"


# wgan-clipping puts its batches on the GPU (torch.cuda.FloatTensor) but never its models: PyTorch refuses it on
# a GPU too, and so does minigan (a BackendError naming linear and its inputs' devices).
@pytest.mark.parametrize("name", sorted(set(test_fluency.PROGRAMS) - {"wgan-clipping"}))
def test_pytorch_programs_run_with_cuda_available(name):
    """The programs of test_fluency.py take their `if cuda:` branches (.cuda(), torch.cuda.FloatTensor)."""
    with installed():
        assert minigan.cuda.is_available()
        test_fluency.test_pytorch_program_runs_on_minigan_after_the_rename(name)


def test_a_program_with_its_data_on_the_gpu_and_its_model_on_the_cpu_is_refused():
    with installed(), pytest.raises(minigan.BackendError, match=r"^linear: inputs on cuda, cpu, cpu: cannot mix"):
        test_fluency.run("wgan-clipping", "minigan", test_fluency.SharedWeights().recorder())
