"""median, kthvalue, quantile (every interpolation, q a number or a tensor, keepdim), cummax/cummin,
logcumsumexp, nansum/nanmean and aminmax give PyTorch's values, indices, dtypes and gradients, as recorded in
tests/pytorch/pytorch_records/order_statistics.json (tests/pytorch/record_pytorch.py runs the same programs on PyTorch),
so this runs without PyTorch; where PyTorch is installed, tests/pytorch/test_records_are_pytorchs.py checks that the
record is what PyTorch gives.  With tied values PyTorch's choice of index (and so where the gradient goes) is
unspecified; the values still agree."""

import numpy as np
import pytest

import minigan
from pytorch import record_pytorch

rng = np.random.default_rng(0)
INPUTS = {"2d": rng.standard_normal((4, 5)), "3d": rng.standard_normal((2, 3, 4)), "1d": rng.standard_normal(6),
          "0d": np.array(1.5), "nan": np.where(rng.random((3, 5)) < 0.2, np.nan, rng.standard_normal((3, 5))),
          "int": rng.permutation(12).reshape(3, 4), "ties": rng.integers(0, 3, (3, 6)).astype(float)}


def _calls(x):
    dims = list(range(x.ndim)) if x.ndim else [0]
    out = [("median", lambda L, t: L.median(t))]
    out += [(f"median({d}, keepdim={k})", lambda L, t, d=d, k=k: L.median(t, d, keepdim=k)) for d in dims
            for k in (False, True)]
    out += [(f"kthvalue(dim={d})", lambda L, t, d=d: L.kthvalue(t, 1 + (t.shape[d] if t.ndim else 1) // 2, d))
            for d in dims]
    out += [(f"cummax({d})", lambda L, t, d=d: L.cummax(t, d)) for d in dims]
    out += [(f"cummin({d})", lambda L, t, d=d: L.cummin(t, d)) for d in dims]
    out += [("nansum", lambda L, t: L.nansum(t)), ("aminmax", lambda L, t: L.aminmax(t))]
    out += [(f"nansum({d}, keepdim)", lambda L, t, d=d: L.nansum(t, d, keepdim=True)) for d in dims]
    if x.dtype.kind == "f":
        out += [("nanmean", lambda L, t: L.nanmean(t))]
        out += [(f"nanmean({d})", lambda L, t, d=d: L.nanmean(t, d)) for d in dims]
        out += [(f"logcumsumexp({d})", lambda L, t, d=d: L.logcumsumexp(t, d)) for d in dims]
        for how in ["linear", "lower", "higher", "nearest", "midpoint"]:
            out += [(f"quantile(0.3, {how})", lambda L, t, i=how: L.quantile(t, 0.3, interpolation=i)),
                    (f"quantile([..], {how})", lambda L, t, i=how: L.quantile(
                        t, L.tensor([0.0, 0.25, 0.5, 1.0], dtype=t.dtype), interpolation=i))]
            out += [(f"quantile(0.7, {d}, keepdim, {how})",
                     lambda L, t, d=d, i=how: L.quantile(t, 0.7, d, keepdim=True, interpolation=i)) for d in dims]
        out += [("quantile(keepdim)", lambda L, t: L.quantile(t, 0.5, keepdim=True)),
                ("quantile([..], dim=0)", lambda L, t: L.quantile(t, L.tensor([0.1, 0.9], dtype=t.dtype), 0))]
    return out


def _program(name, call_name, call):
    """The call's outputs (without the index among tied values) and, where defined, the gradient of a weighted sum
    of its first output, the weights the same NumPy values for both libraries."""
    x = INPUTS[name]
    ties = name == "ties" or (name == "int" and call_name.startswith("kthvalue"))

    @record_pytorch.tolerance(rtol=1e-10, atol=1e-12)
    def program(torch):
        grad = x.dtype.kind == "f"
        t = torch.tensor(x, requires_grad=grad)
        result = call(torch, t)
        outputs = tuple(result) if isinstance(result, tuple) else (result,)
        shown = [out for i, out in enumerate(outputs) if not (ties and i == 1)]  # (the index among equal values)
        if not (grad and outputs[0].requires_grad and not ties and not (name == "nan" and call_name == "aminmax")):
            return dict(outputs=shown)
        w = np.random.default_rng(record_pytorch.seed(name + call_name)).standard_normal(tuple(outputs[0].shape))
        (outputs[0] * torch.tensor(w)).nan_to_num().sum().backward()
        return dict(outputs=shown, grad=t.grad)
    return program


PROGRAMS = {f"{name}-{call_name}": _program(name, call_name, call)
            for name, x in INPUTS.items() for call_name, call in _calls(x)}
RECORD = record_pytorch.load("order_statistics")


@pytest.mark.parametrize("case", list(PROGRAMS))
def test_gives_what_pytorch_gave(case):
    assert case in RECORD["records"], "no record: run python tests/pytorch/record_pytorch.py order_statistics"
    differences = record_pytorch.program_differences(PROGRAMS[case], RECORD["records"][case])
    assert not differences, "\n".join(differences)


def test_every_program_is_recorded_and_every_record_is_a_program():
    assert set(RECORD["records"]) == set(PROGRAMS)


def test_bad_arguments_are_refused_in_one_line():
    x = minigan.randn(3, 4)
    with pytest.raises(ValueError, match="k must be an integer from 1 to 4"):
        x.kthvalue(5)
    with pytest.raises(ValueError, match=r"q must be a number or a 1-D tensor of numbers in \[0, 1\]"):
        x.quantile(1.5)
    with pytest.raises(ValueError, match="interpolation must be"):
        x.quantile(0.5, interpolation="cubic")
    with pytest.raises(RuntimeError, match="must be floating point"):  # (PyTorch's class, as its other refusals)
        minigan.tensor([1, 2]).quantile(0.5)
    with pytest.raises(TypeError, match="must be floating point"):
        minigan.tensor([1, 2]).logcumsumexp(0)
