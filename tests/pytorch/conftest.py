"""Fixtures a module of this wing shares with its other half in another wing (its comparisons with
PyTorch, or its torch-free tests); PyTorch's process-wide settings, checked after each test as tests/conftest.py
checks minigan's."""

import os

import pytest
from conftest import PROCESS_STATE, SCRATCH, fail_on, process_state, put_back
from engine.helpers_strict_backend import device  # noqa: F401  (a fixture)

import minigan
from pytorch.oracle import HAVE_TORCH

# PyTorch's compiler names its cache folder in the environment the first time a test reaches it (torch.compile,
# some twins): here, in the run's own folder, so it neither changes the environment mid-run nor writes outside it.
os.environ["TORCHINDUCTOR_CACHE_DIR"] = os.path.join(SCRATCH, "torchinductor")
TORCH_STATE = {}
if HAVE_TORCH:
    import torch

    # One thread, as tests/conftest.py gives minigan's products: the matrices are small, and two processes
    # (pytest-xdist on CI's two cores) each with a pool of two would spin against each other.
    torch.set_num_threads(1)

    def _set_printoptions(options):
        torch.set_printoptions(**options)

    TORCH_STATE = {
        "PyTorch's default dtype": (torch.get_default_dtype, torch.set_default_dtype),
        "PyTorch's grad mode": (torch.is_grad_enabled, torch.set_grad_enabled),
        "PyTorch's inference mode": (torch.is_inference_mode_enabled, None),
        "PyTorch's anomaly detection": (torch.is_anomaly_enabled, torch.set_anomaly_enabled),
        "PyTorch's print options": (lambda: dict(vars(torch._tensor_str.PRINT_OPTS)), _set_printoptions),
        "PyTorch's thread count": (torch.get_num_threads, torch.set_num_threads),
        "PyTorch's deterministic algorithms": (torch.are_deterministic_algorithms_enabled,
                                               torch.use_deterministic_algorithms),
    }
EVERY_STATE = {**PROCESS_STATE, **TORCH_STATE}


@pytest.fixture(autouse=True)
def _leaves_the_process_as_it_was():
    """tests/conftest.py's check (seed 0 first, minigan's and the process's settings after), with PyTorch's."""
    minigan.manual_seed(0)
    before = process_state(EVERY_STATE)
    yield
    fail_on(put_back(before, EVERY_STATE))
