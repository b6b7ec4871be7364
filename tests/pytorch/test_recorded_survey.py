"""The survey's short programs, of the kind PyTorch tutorials, course notebooks and GAN/CNN training code are made
of (tests/pytorch/survey/idioms_*.py), run on minigan give back what they gave on PyTorch: values (allclose), shapes,
dtypes, Python types, the kind of exception.  PyTorch's results are read from
tests/pytorch/pytorch_records/survey_programs.json (tests/pytorch/record_pytorch.py), so this runs without PyTorch;
where PyTorch
is installed, tests/pytorch/test_records_are_pytorchs.py checks that the record is what PyTorch gives.

The programs that still differ are listed below with the reason, each a deliberate difference or one not provided
(docs/pytorch.md lists them); they are strict xfails, so one that starts to agree fails here until it leaves the
list.  ``python tests/pytorch/survey/idioms_nn.py`` (with PyTorch) prints one file's comparison.
"""

import pytest

import minigan
from pytorch import record_pytorch

harness = record_pytorch.survey_harness()
RECORD = record_pytorch.load("survey_programs")
RECORDED_VERSION = record_pytorch.version_tuple(RECORD["pytorch"])

DIFFERENT = {  # program: why it differs
    "optimizer_state_dict_roundtrip": "a state_dict's step is the optimizer's own 0-d tensor in PyTorch's, which "
                                      "the steps after it (and a second optimizer that loaded it) go on counting",
}

_NORM_BIAS = "norm layers take bias= and show it in their repr"
SINCE = {  # program: (the PyTorch version whose behaviour it encodes, what changed then): skipped on an older record
    "module_repr": ("2.12", _NORM_BIAS), "module_repr2": ("2.12", _NORM_BIAS),
    "repr_norm_act_misc_layers": ("2.12", _NORM_BIAS), "repr_layers_with_arguments": ("2.12", _NORM_BIAS),
    "print_nested_model_repr": ("2.12", _NORM_BIAS),
    "regression_loss_int_targets": ("2.12", "mse_loss's backward takes integer targets"),
    "reduction_integer_dtype_kwarg": ("2.12", "prod(dtype=torch.int32) gives int32"),
}
BEFORE = {"grad_kinks_at_zero": ("2.14", "clamp's derivative is 1 where x equals a bound")}  # on a newer record


def _version_marks(name):
    """As conftest.pytorch_since and pytorch_before, asked of the PyTorch that wrote the record."""
    marks = []
    if name in SINCE and RECORDED_VERSION < record_pytorch.version_tuple(SINCE[name][0]):
        marks.append(pytest.mark.skip(reason=f"PyTorch {SINCE[name][0]}'s behaviour ({SINCE[name][1]}); "
                                             f"the record is PyTorch {RECORD['pytorch']}'s"))
    if name in BEFORE and RECORDED_VERSION >= record_pytorch.version_tuple(BEFORE[name][0]):
        marks.append(pytest.mark.skip(reason=f"PyTorch {BEFORE[name][0]} changed it ({BEFORE[name][1]}); "
                                             f"the record is PyTorch {RECORD['pytorch']}'s"))
    if name in record_pytorch.ASK_THE_HOST and minigan.cuda.is_available():
        marks.append(pytest.mark.skip(reason="the program asks the host for CUDA: the record is a host's without it, "
                                             "and minigan has a GPU here"))
    return marks


def _cases():
    for fn in harness.SNIPPETS:
        reason = DIFFERENT.get(fn.__name__)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        yield pytest.param(fn, marks=marks + _version_marks(fn.__name__), id=fn.__name__)


@pytest.mark.parametrize("program", list(_cases()))
def test_program_gives_what_pytorch_gave(program):
    assert program.__name__ in RECORD["records"], ("no record: run python tests/pytorch/record_pytorch.py survey_"
                                                   "programs")
    pytorchs = record_pytorch.decode(RECORD["records"][program.__name__])
    differences = harness.compare_results(program, pytorchs, harness.run_fn(program, "minigan"))
    assert not differences, "\n".join(differences)


def test_every_listed_difference_names_a_program():
    assert set(DIFFERENT) | set(SINCE) | set(BEFORE) | record_pytorch.ASK_THE_HOST <= {fn.__name__ for fn in
                                                                                      harness.SNIPPETS}


def test_every_program_is_recorded_and_every_record_is_a_program():
    assert set(RECORD["records"]) == {fn.__name__ for fn in harness.SNIPPETS}
