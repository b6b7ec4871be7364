"""``Module.load_state_dict(sd, assign=True)`` against PyTorch: the state dict's tensors become the module's own
(a Parameter given is the module's parameter itself; a plain Tensor becomes a Parameter with the module's
requires_grad; the state dict's dtype is kept, where a copy would cast), over modules with parameters, buffers and
frozen parameters, strict or not."""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

MODULES = {
    "linear": lambda lib: lib.nn.Linear(3, 2),
    "batchnorm": lambda lib: lib.nn.BatchNorm1d(3),
    "lstm": lambda lib: lib.nn.LSTM(2, 3),
    "sequential": lambda lib: lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.LayerNorm(4), lib.nn.Linear(4, 1)),
}


def _record(lib, kind, keep_vars, dtype, frozen, strict):
    rng = np.random.default_rng(0)
    source, target = MODULES[kind](lib), MODULES[kind](lib)
    if frozen:
        next(iter(target.parameters())).requires_grad_(False)
    sd = source.state_dict(keep_vars=keep_vars)
    with lib.no_grad():
        for v in sd.values():
            if v.dtype.is_floating_point:
                v.copy_(lib.tensor(rng.normal(size=tuple(v.shape))))
    sd = {k: (v.to(getattr(lib, dtype)) if v.dtype.is_floating_point else v) for k, v in sd.items()}
    if not strict:
        sd.pop(next(iter(sd)))
    result = target.load_state_dict(sd, strict=strict, assign=True)
    own = target.state_dict(keep_vars=True)
    return {"keys": (list(result.missing_keys), list(result.unexpected_keys)),
            "kinds": {k: type(v).__name__ for k, v in own.items()},
            "requires_grad": {k: v.requires_grad for k, v in own.items()},
            "dtypes": {k: str(v.dtype).split(".")[-1] for k, v in own.items()},
            "values": {k: v.detach().numpy().tolist() for k, v in own.items() if k in sd},  # (the rest: own init)
            "same_object": {k: own[k] is sd[k] for k in sd}}


@pytest.mark.parametrize("strict", [True, False])
@pytest.mark.parametrize("frozen", [False, True])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("keep_vars", [False, True])
@pytest.mark.parametrize("kind", sorted(MODULES))
def test_assign_makes_the_state_dicts_tensors_the_modules(kind, keep_vars, dtype, frozen, strict):
    ours = _record(minigan, kind, keep_vars, dtype, frozen, strict)
    theirs = _record(torch, kind, keep_vars, dtype, frozen, strict)
    for what in theirs:
        if what == "values":
            for k in theirs[what]:
                np.testing.assert_allclose(ours[what][k], theirs[what][k], rtol=1e-6, err_msg=k)
        else:
            assert ours[what] == theirs[what], what
