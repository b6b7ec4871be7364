"""nn.init's normal samplers over std and bounds PyTorch's checks meet, against PyTorch.

normal_ and trunc_normal_ sample with PyTorch's normal_, which refuses std < 0 (RuntimeError; -0.0 is taken), and
trunc_normal_ picks its sampler by the mass of N(mean, std²) on [a, b]: with a negative std that mass can be over
30% where a > b, so no draw could ever be kept; PyTorch's normal_ refuses first, and minigan must too (it drew
forever).  Over std, mean and bounds (a > b, infinite bounds, NaN) and weights of floating, integer and no entries,
minigan must refuse with PyTorch's class, or give the same shape and dtype with every value inside [a, b].
"""

import itertools
import math
import warnings

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import refused_alike
from pytorch.oracle import TRUNC_NORMAL_ANYWHERE

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

INF, NAN = math.inf, math.nan
STDS = [1.0, 0.5, -0.0, -1.5, -INF, NAN]
MEANS_AND_BOUNDS = [(0.0, -2.0, 2.0), (1000.0, 1000.0, -INF), (0.0, 2.0, -2.0), (0.0, -INF, INF), (5.0, -1.0, 1.0),
                    (0.0, 1.0, INF)]
WEIGHTS = {"float64": lambda lib: lib.zeros(3, 4, dtype=lib.float64),
           "float32": lambda lib: lib.zeros(5, dtype=lib.float32),
           "empty": lambda lib: lib.zeros(0, 3, dtype=lib.float64), "int64": lambda lib: lib.zeros(3, dtype=lib.int64)}


def _run(lib, name, std, mean_and_bounds, weight):
    w = WEIGHTS[weight](lib)
    mean, a, b = mean_and_bounds
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = lib.nn.init.normal_(w, mean, std) if name == "normal_" else lib.nn.init.trunc_normal_(w, mean, std,
                                                                                                          a, b)
    except Exception as e:  # noqa: BLE001 (the class is compared)
        return "raised", e
    return "ran", (tuple(out.shape), str(out.dtype).split(".")[-1], np.asarray(out.detach().tolist(), dtype=float))


def _sampler_of_2_12(std, mean_and_bounds, weight):
    """Whether trunc_normal_'s outcome is that of PyTorch 2.12's sampler (docs/pytorch.md, "Which PyTorch"): a
    negative, infinite or NaN std, a mean far outside [a, b] (under 30% of N(mean, std²) on it), or an integer
    weight; 2.11 inverted a uniform draw, which gives NaN, the nearer bound or a refusal of another class there."""
    mean, a, b = mean_and_bounds
    if weight == "int64" or std < 0 or not math.isfinite(std):
        return True
    mass = 0.5 * (math.erf((b - mean) / (std * math.sqrt(2))) - math.erf((a - mean) / (std * math.sqrt(2)))) \
        if std > 0 else 1.0
    return a <= b and mass < 0.3


CASES = [("normal_", std, (mean, 0, 0), weight) for std in STDS for mean in (0.0, 2.5) for weight in WEIGHTS] + [
    pytest.param("trunc_normal_", std, mb, weight, marks=[TRUNC_NORMAL_ANYWHERE] if _sampler_of_2_12(std, mb, weight)
                 else []) for std, mb, weight in itertools.product(STDS, MEANS_AND_BOUNDS, WEIGHTS)]


@pytest.mark.parametrize("name,std,mean_and_bounds,weight", CASES)
def test_normal_samplers_refuse_or_sample_as_pytorchs(name, std, mean_and_bounds, weight):
    expected, got = _run(torch, name, std, mean_and_bounds, weight), _run(minigan, name, std, mean_and_bounds, weight)
    where = f"{name}(std={std}, mean and bounds {mean_and_bounds}) on {weight}"
    if refused_alike(got, expected, where):
        return
    assert got[1][:2] == expected[1][:2], f"{where}: shape and dtype {got[1][:2]} vs PyTorch's {expected[1][:2]}"
    if name == "trunc_normal_":
        _, a, b = mean_and_bounds
        values, theirs = got[1][2], expected[1][2]
        assert np.isnan(values).sum() == np.isnan(theirs).sum(), f"{where}: NaN where PyTorch's has none, or none"
        assert np.all((values >= a) & (values <= b) | np.isnan(values)), f"{where}: values outside [a, b]: {values}"
