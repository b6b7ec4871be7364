"""The PyTorch surface without PyTorch: docs/pytorch.md's table lists only names minigan does not have, every
deliberate difference is an implemented name, a missing name raises one line that says what to use (with no
misleading suggestion in the printed traceback), and a typo keeps Python's own error and suggestion.

(Its comparisons with PyTorch: tests/pytorch/test_pytorch_surface.py.)"""

import subprocess
import sys

import pytest

import minigan
from library.helpers_pytorch_surface import ROOT
from minigan.surface import missing as _missing

sys.path.insert(0, str(ROOT / "docs"))
import make_coverage  # noqa: E402


def test_the_table_lists_only_names_minigan_does_not_have():
    stale = [(space, name) for (space, name) in _missing._INDEX if make_coverage.classify(space, name)[0]
             != "not provided"]
    assert not stale, f"implemented now: remove them from minigan/surface/missing_advice.txt: {stale}"


def test_every_deliberate_difference_is_an_implemented_name():
    for space, notes in _missing.DIFFERENT.items():
        obj = make_coverage._resolve(make_coverage.PLACES[space])
        absent = [n for n in notes if not hasattr(obj, n)]
        assert not absent, f"{space}: DIFFERENT lists names minigan does not have: {absent}"


@pytest.mark.parametrize("expr, words", [
    ("minigan.lgamma", "special functions"), ("minigan.jit", "out of scope"), ("minigan.selu_", "nn.functional"),
    ("minigan.conv2d", "minigan.nn.functional.conv2d"), ("minigan.nn.Transformer", "transformers"),
    ("minigan.nn.functional.grid_sample", "not provided"), ("minigan.optim.LBFGS", "first-order"),
    ("minigan.optim.lr_scheduler.CyclicLR", "LambdaLR"),
    ("minigan.utils.data.IterableDataset", "DataLoader"), ("minigan.nn.functional.rrelu_", "F.leaky_relu"),
])
def test_a_missing_name_raises_one_line_that_says_what_to_use(expr, words):
    with pytest.raises(AttributeError) as info:
        eval(expr)
    message = str(info.value)
    assert "\n" not in message and words in message and message.startswith(expr + ": ")
    assert isinstance(info.value, minigan.NotInMinigan)
    assert info.value.name is None and info.value.obj is None  # so Python adds no "Did you mean" guess


@pytest.mark.parametrize("statement, words", [
    ("from minigan import lgamma", "special functions"), ("from minigan import jit", "out of scope"),
    ("from minigan.nn import Transformer", "transformers"), ("from minigan.optim import LBFGS", "first-order"),
    ("from minigan.nn.functional import grid_sample", "not provided"),
    ("from minigan import float32, lgamma", "special functions"),  # (the first name found, the second refused)
])
def test_importing_a_missing_name_raises_the_same_line_as_an_import_error(statement, words):
    """``from minigan import lgamma`` gives the line ``minigan.lgamma`` gives, as the ImportError a program that
    falls back on ``except ImportError`` catches (Python's own would be a bare "cannot import name").  Only from a
    package: a plain module's (minigan.optim.lr_scheduler, minigan.utils.data) is Python's bare error
    (docs/pytorch.md)."""
    with pytest.raises(ImportError) as info:
        exec(statement, {})
    message = str(info.value)
    assert "\n" not in message and words in message and "cannot import name" not in message


def test_importing_a_typo_keeps_pythons_own_import_error():
    with pytest.raises(ImportError, match="cannot import name 'tensr'"):
        exec("from minigan import tensr", {})
    with pytest.raises(ModuleNotFoundError, match="No module named 'minigan.tensr'"):
        exec("import minigan.tensr", {})


def test_no_misleading_suggestion_in_the_printed_traceback():
    result = subprocess.run([sys.executable, "-c", "import minigan; minigan.selu_"], capture_output=True, text=True,
                            cwd=ROOT)
    last = result.stderr.strip().splitlines()[-1]
    assert "minigan.selu_: not provided at the top level" in last and "Did you mean" not in last


def test_a_typo_keeps_pythons_own_error_and_suggestion():
    with pytest.raises(AttributeError) as info:
        minigan.tensr  # noqa: B018
    assert not isinstance(info.value, minigan.NotInMinigan) and info.value.name == "tensr"
    assert not hasattr(minigan, "lgamma") and getattr(minigan.nn, "Transformer", None) is None
