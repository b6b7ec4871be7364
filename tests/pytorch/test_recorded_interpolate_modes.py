"""F.interpolate in every mode PyTorch has for 1-D and 2-D inputs (nearest, nearest-exact, linear, bilinear,
bicubic, area), at sizes that grow, shrink and do not divide, gives PyTorch's values and gradients, and the Upsample
module prints as PyTorch's.  PyTorch's answers are read from tests/pytorch/pytorch_records/interpolate_modes.json
(tests/pytorch/record_pytorch.py runs the same programs on PyTorch), so this runs without PyTorch; where PyTorch is
installed, tests/pytorch/test_interpolate.py checks that the record is what PyTorch gives."""

import itertools

import numpy as np
import pytest

from pytorch import record_pytorch

MODES = [(4, "nearest"), (4, "nearest-exact"), (4, "bilinear"), (4, "bicubic"), (4, "area"),
         (3, "nearest"), (3, "nearest-exact"), (3, "linear"), (3, "area")]
SIZES = ["grow", "shrink", "x2", "x1.7", "x0.6", "per axis", "recompute", "x3"]


def _how(dims, which):
    two = dims == 4
    return {"grow": dict(size=(9, 4) if two else 11), "shrink": dict(size=(3, 13) if two else 4),
            "x2": dict(scale_factor=2), "x1.7": dict(scale_factor=1.7), "x0.6": dict(scale_factor=0.6),
            "per axis": dict(scale_factor=(2.5, 0.5) if two else 2.5),
            "recompute": dict(scale_factor=1.3, recompute_scale_factor=True), "x3": dict(scale_factor=3)}[which]


def _interpolate(dims, mode, size, align_corners):
    @record_pytorch.tolerance(rtol=1e-12, atol=1e-12)
    def program(torch, F):
        """The values and the gradient of a weighted sum (input and weights the same NumPy values for both)."""
        rng = np.random.default_rng(record_pytorch.seed(f"{dims} {mode} {size} {align_corners}"))
        # (two planes: each is interpolated alone, so more would only repeat the geometry in the record)
        x = torch.tensor(rng.standard_normal((1, 2, 5, 7) if dims == 4 else (1, 2, 7)), requires_grad=True)
        y = F.interpolate(x, **_how(dims, size), mode=mode, align_corners=align_corners)
        (y * torch.tensor(rng.standard_normal(tuple(y.shape)))).sum().backward()
        return dict(values=y, grad=x.grad)
    return program


UPSAMPLE = [dict(size=(3, 4), mode="bicubic"), dict(scale_factor=(2, 1.5)),
            dict(size=5, mode="linear", recompute_scale_factor=True),
            dict(scale_factor=2, mode="bilinear", align_corners=True)]

PROGRAMS = {f"{dims}d {mode} {size} align_corners={align}": _interpolate(dims, mode, size, align)
            for (dims, mode), size in itertools.product(MODES, SIZES)
            for align in ([None, True, False] if mode in ("linear", "bilinear", "bicubic") else [None])}
PROGRAMS.update({f"Upsample({kw})": (lambda nn, kw=kw: repr(nn.Upsample(**kw))) for kw in UPSAMPLE})
RECORD = record_pytorch.load("interpolate_modes")


@pytest.mark.parametrize("case", list(PROGRAMS))
def test_gives_what_pytorch_gave(case):
    assert case in RECORD["records"], "no record: run python tests/pytorch/record_pytorch.py interpolate_modes"
    differences = record_pytorch.program_differences(PROGRAMS[case], RECORD["records"][case])
    assert not differences, "\n".join(differences)


def test_every_program_is_recorded_and_every_record_is_a_program():
    assert set(RECORD["records"]) == set(PROGRAMS)
