"""A schedule's factors (StepLR's, MultiStepLR's and ExponentialLR's gamma, PolynomialLR's power, the cosine
schedules' eta_min, OneCycleLR's max_lr and momenta) are any number, as PyTorch's: a negative γ alternates the rate's
sign, ∞ and NaN carry on; what is no number is PyTorch's TypeError.  minigan refused every value outside [0, ∞)."""

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402

SCHEDULES = {
    "StepLR gamma": lambda S, o, v: S.StepLR(o, 2, gamma=v),
    "MultiStepLR gamma": lambda S, o, v: S.MultiStepLR(o, [1, 3], gamma=v),
    "ExponentialLR gamma": lambda S, o, v: S.ExponentialLR(o, gamma=v),
    "PolynomialLR power": lambda S, o, v: S.PolynomialLR(o, total_iters=4, power=v),
    "CosineAnnealingLR eta_min": lambda S, o, v: S.CosineAnnealingLR(o, T_max=4, eta_min=v),
    "CosineAnnealingWarmRestarts eta_min": lambda S, o, v: S.CosineAnnealingWarmRestarts(o, T_0=3, eta_min=v),
    "OneCycleLR max_lr": lambda S, o, v: S.OneCycleLR(o, max_lr=v, total_steps=8),
}
VALUES = [-0.5, -2.0, 0.0, 1.5, math.inf, -math.inf, math.nan, True, np.float32(-0.25), "0.5", None]


def trajectory(lib, schedule, value):
    o = lib.optim.SGD([lib.nn.Parameter(lib.ones(2))], lr=0.1, momentum=0.9)
    try:
        s = SCHEDULES[schedule](lib.optim.lr_scheduler, o, value)
        rates = []
        for _ in range(6):
            o.step()
            s.step()
            rates.append(s.get_last_lr()[0])
    except Exception as e:  # noqa: BLE001 (the class is compared)
        return e
    return np.array(rates, dtype=np.float64)


@pytest.mark.parametrize("value", VALUES, ids=repr)
@pytest.mark.parametrize("schedule", SCHEDULES)
def test_a_schedules_factor_is_any_number_as_pytorch(schedule, value):
    # minigan reads a NumPy scalar as the Python number it holds (docs/pytorch.md), where PyTorch computes in its
    # float32 (and CosineAnnealingWarmRestarts refuses it): compared with PyTorch given that number
    theirs = trajectory(torch, schedule, float(value) if isinstance(value, np.floating) else value)
    mine = trajectory(minigan, schedule, value)
    if isinstance(theirs, Exception):
        assert isinstance(mine, type(theirs)), f"PyTorch raises {theirs!r}, minigan gives {mine!r}"
    else:
        assert not isinstance(mine, Exception), f"PyTorch runs, minigan raises {mine!r}"
        np.testing.assert_allclose(mine, theirs, rtol=1e-12, atol=0)
