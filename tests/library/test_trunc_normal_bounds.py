"""nn.init.trunc_normal_ where [a, b] holds little of N(mean, std²) and a bound is infinite: PyTorch's uniform
sampler refuses the infinite bound (RuntimeError) at once; a sampler that drew from [a, inf) never ended."""

import math
import subprocess
import sys

import pytest

import minigan
from minigan.nn import init


@pytest.mark.parametrize("mean, a, b", [(-1.5, 0.0, math.inf), (1.5, -math.inf, 0.0), (0.0, -math.inf, -3.0),
                                        (5.0, math.nan, 1.0)])
def test_an_infinite_bound_of_the_uniform_sampler_is_refused_at_once(mean, a, b):
    # (in a child process with a time limit: the defect was a loop that never ended)
    code = ("import minigan, math; from minigan.nn import init\n"
            f"try:\n    init.trunc_normal_(minigan.empty(3, 4), {mean!r}, a=float({str(a)!r}), b=float({str(b)!r}))\n"
            "except RuntimeError as e:\n    print('RuntimeError', e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60).stdout
    assert out.startswith("RuntimeError") and "trunc_normal_" in out, out


def test_an_infinite_bound_of_the_normal_sampler_still_draws():
    # most of the mass inside [a, b]: PyTorch's normal draws, redrawn outside; b = inf is fine there
    x = init.trunc_normal_(minigan.empty(2000), 0.0, 1.0, a=-1.0, b=math.inf)
    assert float(x.min()) >= -1.0 and math.isfinite(float(x.max()))
