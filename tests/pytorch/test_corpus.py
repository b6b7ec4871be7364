"""Programs a PyTorch user writes (tests/pytorch/corpus_<topic>.py, one file per topic), each run under PyTorch and
under minigan and compared (tests/pytorch/corpus.py): tensors by dtype, shape, requires_grad and values (rtol 1e-5),
exceptions by PyTorch's class (minigan's must be an instance of it), everything else exactly.  A program in
``DIFFERS`` is a strict xfail naming the documented difference it shows."""

import importlib
from pathlib import Path

import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402
from pytorch.corpus import DIFFERS, agree  # noqa: E402
from pytorch.oracle import APPLY_KEYWORDS  # noqa: E402

# every corpus_<topic>.py beside this file, so that a topic cannot be left out
TOPICS = {path.stem.removeprefix("corpus_"): importlib.import_module(f"pytorch.{path.stem}")
          for path in sorted(Path(__file__).parent.glob("corpus_*.py"))}
# programs that show one PyTorch version's behaviour (tests/pytorch/oracle.py)
SINCE = {"function_apply_keyword": APPLY_KEYWORDS}


def _case(topic, name):
    marks = [pytest.mark.xfail(strict=True, reason=DIFFERS[name])] if name in DIFFERS else []
    return pytest.param(topic, name, marks=marks + ([SINCE[name]] if name in SINCE else []), id=f"{topic}-{name}")


@pytest.mark.parametrize("topic, name", [_case(t, n) for t, programs in TOPICS.items() for n in programs.PROGRAMS])
def test_program_matches_pytorch(topic, name):
    agree(TOPICS[topic].PROGRAMS[name], torch, minigan)


def test_the_programs_are_many_and_each_named_once():
    names = [n for module in TOPICS.values() for n in module.PROGRAMS]
    assert len(TOPICS) == 13 and len(names) >= 498  # the three rounds' 275 + 118 + 105 when they were grouped by topic
    assert len(set(names)) == len(names), "a program's name is registered in two topics"
    assert set(DIFFERS) <= set(names)
    assert set(SINCE) <= set(names)
