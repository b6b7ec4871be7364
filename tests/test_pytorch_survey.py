"""233 short programs of the kind PyTorch tutorials, course notebooks and GAN/CNN training code are made of
(tests/survey/idioms_*.py), each run twice, the same code given PyTorch and then minigan: what they give back
(values, shapes, dtypes, Python types, the kind of exception) must agree.

The programs that still differ are listed below with the reason, each a deliberate difference or one not provided
(docs/pytorch.md lists them); they are strict xfails, so one that starts to agree fails here until it leaves the
list.  ``python tests/survey/idioms_nn.py`` prints one file's comparison.
"""

import importlib
import sys
from pathlib import Path

import pytest
from conftest import pytorch_before, pytorch_since

pytest.importorskip("torch")
sys.path.insert(0, str(Path(__file__).parent / "survey"))
harness = importlib.import_module("idioms_harness")
for _name in ["tensors", "autograd", "nn", "loss_optim", "data_io_gan", "misc", "modules", "data_more", "more",
              "programs", "batch3", "batch4", "batch5"]:
    importlib.import_module(f"idioms_{_name}")

DIFFERENT = {  # program: why it differs
    "ce_int32_target": "int32 class labels are accepted (PyTorch wants int64)",
    "optimizer_state_dict_roundtrip": "an optimizer's state_dict holds minigan's own format and version keys",
    "optimizer_state_access": "optimizer state holds arrays and an int step (PyTorch: tensors), under PyTorch's names",
    "torch_manual_seed_return": "manual_seed returns the default generator, a Generator subclass of another name",
}


_NORM_BIAS = "norm layers take bias= and show it in their repr"
SINCE = {  # program: (the PyTorch version whose behaviour it encodes, what changed then): skipped on an older one
    "module_repr": ("2.12", _NORM_BIAS), "module_repr2": ("2.12", _NORM_BIAS),
    "repr_norm_act_misc_layers": ("2.12", _NORM_BIAS), "repr_layers_with_arguments": ("2.12", _NORM_BIAS),
    "print_nested_model_repr": ("2.12", _NORM_BIAS),
    "regression_loss_int_targets": ("2.12", "mse_loss's backward takes integer targets"),
    "reduction_integer_dtype_kwarg": ("2.12", "prod(dtype=torch.int32) gives int32"),
}
BEFORE = {"grad_kinks_at_zero": ("2.14", "clamp's derivative is 1 where x equals a bound")}  # (conftest.pytorch_before)


def _cases():
    for fn in harness.SNIPPETS:
        reason = DIFFERENT.get(fn.__name__)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        if fn.__name__ in SINCE:
            marks.append(pytorch_since(*SINCE[fn.__name__]))
        if fn.__name__ in BEFORE:
            marks.append(pytorch_before(*BEFORE[fn.__name__]))
        yield pytest.param(fn, marks=marks, id=fn.__name__)


@pytest.mark.parametrize("program", list(_cases()))
def test_program_gives_what_pytorch_gives(program):
    differences = harness.compare(program)
    assert not differences, "\n".join(differences)


def test_every_listed_difference_names_a_program():
    assert set(DIFFERENT) | set(SINCE) | set(BEFORE) <= {fn.__name__ for fn in harness.SNIPPETS}
