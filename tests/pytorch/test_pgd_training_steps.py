"""PGD adversarial training (a small CNN, Adam, PGD examples every step) run in both libraries from the same state:
one step's error is rounding in float32 and float64 (tools/pgd_step_compare.py), and a dropout after a
convolution keeps PyTorch's entries after the same seed, whatever minigan's memory layout of the conv's result."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

_path = Path(__file__).resolve().parents[2] / "tools" / "pgd_step_compare.py"
_spec = importlib.util.spec_from_file_location("pgd_step_compare", _path)
compare = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compare)


FORMS = {  # the forms programs write: a dropout on the map itself, after flatten, after view
    "dropout": lambda lib, h: lib.nn.functional.dropout(h, 0.3, training=True),
    "flatten_dropout": lambda lib, h: lib.nn.Dropout(0.3)(lib.nn.Flatten()(h)),
    "view_dropout": lambda lib, h: lib.nn.functional.dropout(h.view(h.size(0), -1), 0.5),
}


@pytest.mark.parametrize("form", FORMS)
def test_a_draw_on_a_convolutions_result_is_pytorchs(form):
    def run(lib):
        lib.manual_seed(0)
        conv = lib.nn.Conv2d(2, 3, 3, padding=1).double()
        with lib.no_grad():
            for p, value in zip(conv.parameters(), (np.linspace(-1, 1, 54).reshape(3, 2, 3, 3), np.zeros(3))):
                p.copy_(lib.from_numpy(value))
        h = conv(lib.from_numpy(np.random.default_rng(0).standard_normal((4, 2, 5, 5)))).relu()
        lib.manual_seed(5)
        return FORMS[form](lib, h).detach().numpy()

    np.testing.assert_allclose(run(minigan), run(torch), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_one_pgd_training_step_from_pytorchs_state_is_rounding(dtype):
    result = compare.compare(dtype, steps=1, variant="course", say=lambda *a: None, robust=False)
    assert result["same_start"]
    assert "NOT" not in compare.verdict([result]), compare.verdict([result])
    if dtype == "float64":  # nothing for rounding to grow from: the free runs stay together
        assert result["last_free_weights"] < 1e-6
