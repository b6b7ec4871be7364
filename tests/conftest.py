"""Shared test set-up: backends, hypothesis profiles, helpers."""

import os

import pytest
from hypothesis import HealthCheck, settings

import minigan
from minigan import backend

# CI runs derandomized, so a failure seen there reproduces on any machine.
settings.register_profile(
    "ci", derandomize=True, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "dev", deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

# The suite was written for one BLAS thread: its matrices are small, and on a busy machine several
# threads spin against each other.  `import minigan` leaves the count alone, so set it once here.
minigan.set_num_threads(1)

GPU = backend.cupy_available()
BACKENDS = ["numpy", pytest.param("cupy", marks=pytest.mark.skipif(not GPU, reason="needs CuPy and an NVIDIA GPU"))]


@pytest.fixture(params=BACKENDS)
def xp_backend(request):
    """Run the test once per backend; yields the array module (numpy or cupy)."""
    previous = backend.backend_name()
    minigan.use_backend(request.param)
    try:
        yield backend.active_module()
    finally:
        minigan.use_backend(previous)


@pytest.fixture(autouse=True)
def _seeded():
    minigan.manual_seed(0)
    yield


try:
    import torch  # noqa: F401  (a test-only oracle: pip install torch==2.13.0)

    HAVE_TORCH = True
except Exception:
    HAVE_TORCH = False
