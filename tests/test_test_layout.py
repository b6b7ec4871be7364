"""The tests live in four wings, and only one of them names PyTorch.

* ``tests/engine/``: the autodiff engine's own properties (finite differences, closed forms, graph, in-place and
  version rules); ``tests/library/``: layers, optimizers, GANs, attacks, data, metrics and the surface's own
  behaviour; ``tests/product/``: lessons, lab, exercises and grader, command line, docs and README checks;
  ``tests/pytorch/``: every comparison with PyTorch (programs, the survey, random programs, signatures, the
  exception oracle, twins).
* tests/ itself holds only ``conftest.py`` (the set-up all wings share), ``strict_backend.py`` (the CPU stand-in
  for CuPy that conftest installs for every wing) and this file.
* No module outside tests/pytorch names the oracle, however the suite reaches it: ``import torch``,
  ``pytest.importorskip("torch")``, ``importlib.import_module("torch")`` or any call given the name ``"torch"``, a
  program that imports it in a string, ``tests/pytorch/oracle.py``'s names (``HAVE_TORCH``, the version marks), or
  any module of the pytorch wing.  So the three other wings run, whole, on a machine without PyTorch.
* PyTorch stays optional in its own wing: a module there that imports torch at its top before
  ``pytest.importorskip("torch")`` would stop the whole suite's collection on a machine without it.

Read with ``ast``, nothing is imported.
"""

import ast
import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
WINGS = ("engine", "library", "product", "pytorch")
AT_ROOT = {"conftest.py", "strict_backend.py", "test_test_layout.py"}
ORACLE_NAMES = {  # tests/pytorch/oracle.py's
    "HAVE_TORCH", "TORCH_VERSION", "TORCH_ORACLE", "pytorch_older_than", "pytorch_since", "pytorch_before", "NORM_BIAS",
    "CLAMP_AT_A_BOUND", "CLAMP_NAN_BOUND", "TRUNC_NORMAL_ANYWHERE", "AMINMAX_GRAD", "ADDMV_ONE_DTYPE", "NANSUM_INT",
    "NANMEAN_INT_DTYPE", "GRAD_NO_INPUTS", "ADAGRAD_LATER_GROUP", "APPLY_KEYWORDS"}


def _is_torch(name: str) -> bool:
    return name == "torch" or name.startswith("torch.")


def _is_wing(name: str) -> bool:
    return name == "pytorch" or name.startswith("pytorch.")


def names_the_oracle(tree) -> bool:
    """Whether a module (or any piece of one) reaches PyTorch or the pytorch wing."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(_is_torch(a.name) or _is_wing(a.name) for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and not node.level and node.module and (
                _is_torch(node.module) or _is_wing(node.module)
                or any(a.name in ORACLE_NAMES for a in node.names)):
            return True
        if isinstance(node, ast.Call) and any(isinstance(a, ast.Constant) and isinstance(a.value, str) and
                                              _is_torch(a.value) for a in node.args):
            return True  # importorskip("torch"), import_module("torch.nn"), a helper given the library's name
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                re.search(r"^\s*(import torch\b|from torch\b)", node.value, flags=re.M):
            return True  # a program run in a child process or by exec
        if isinstance(node, ast.Name) and node.id in ORACLE_NAMES:
            return True
        if isinstance(node, ast.Attribute) and node.attr in ORACLE_NAMES:
            return True
    return False


def _modules(folder: Path):
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def _read(path: Path):
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_every_test_module_lives_in_a_wing():
    loose = sorted(p.name for p in TESTS.iterdir()
                   if p.name not in AT_ROOT and p.name not in WINGS and p.name != "__pycache__")
    assert loose == [], f"tests/ holds only {sorted(AT_ROOT)} and the wings {WINGS}; move these into a wing: {loose}"
    assert all((TESTS / wing).is_dir() for wing in WINGS)
    nested = [p.relative_to(TESTS).as_posix() for p in TESTS.rglob("test_*.py")
              if len(p.relative_to(TESTS).parts) > 2 and p.relative_to(TESTS).parts[1] not in ("programs", "survey")]
    assert nested == [], f"a test module sits one folder below its wing, not deeper: {nested}"


def test_no_module_outside_the_pytorch_wing_names_the_oracle():
    offenders = [p.relative_to(TESTS).as_posix() for p in _modules(TESTS)
                 if p.relative_to(TESTS).parts[0] != "pytorch" and p.name != "test_test_layout.py"
                 and names_the_oracle(_read(p))]
    assert offenders == [], f"only tests/pytorch/ compares with PyTorch; move these tests there: {offenders}"


def _torch_imports_before_the_skip(tree) -> list:
    found = []
    for node in tree.body:
        if _is_skip(node):
            return found  # nothing after the skip counts (unparsing every later statement cost ~4 s of CPU a run)
        names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                 [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
        if any(_is_torch(n) for n in names):
            found.append(node.lineno)
    return found


def _is_skip(node) -> bool:
    text = ast.unparse(node)
    return "importorskip" in text and "torch" in text


# what every `import torch...` and `from torch...` statement matches (and more: a match only means "parse and see"):
# "import", then names, dots, commas, `as`, spaces and line continuations, then "torch"; "from", dots, then "torch"
SPELLS_A_TORCH_IMPORT = re.compile(r"\bimport\b[\w\s.,\\]*?\btorch\b|\bfrom\b[\s.\\]*\btorch\b")


def _head(path: Path):
    """The module's tree as far as _torch_imports_before_the_skip reads it: its top-level statements up to the
    skip, parsed from the lines before it, not the whole module (3.3 MB in tests/pytorch: 3.7 CPU-s to parse).
    The lines up to a statement parse to the statements the whole module's parse begins with wherever that
    statement is complete there: one followed by another, or a simple one (no body below it to go on).  A module
    where this is not found (no skip, or one under a `def`) is parsed whole; one with nothing that could be an
    import of torch (SPELLS_A_TORCH_IMPORT) has none to find."""
    text = path.read_text(encoding="utf-8")
    if not SPELLS_A_TORCH_IMPORT.search(text):
        return ast.Module(body=[], type_ignores=[])
    lines = text.split("\n")  # (not splitlines: a form feed, which it splits at, ends no line of Python's)
    first = text.count("\n", 0, text.find("importorskip")) + 1 if "importorskip" in text else len(lines) + 1
    for end in range(first, min(first + 30, len(lines)) + 1):
        try:
            head = ast.parse("\n".join(lines[:end]) + "\n", filename=str(path))
        except SyntaxError:  # the lines end inside a statement
            continue
        skips = [k for k, node in enumerate(head.body) if _is_skip(node)]
        if skips and (skips[0] < len(head.body) - 1 or not hasattr(head.body[skips[0]], "body")):
            return head
    return _read(path)


def test_no_test_module_imports_torch_before_skipping_without_it():
    # the modules pytest imports as it collects (the programs and the survey are run by the tests, not imported)
    offenders = {p.relative_to(TESTS).as_posix(): lines for p in sorted((TESTS / "pytorch").glob("*.py"))
                 if (lines := _torch_imports_before_the_skip(_head(p)))}
    assert offenders == {}, f"import torch before pytest.importorskip('torch') (module: line): {offenders}"


def test_the_checks_see_each_way_to_the_oracle():
    assert _torch_imports_before_the_skip(ast.parse("import pytest\nimport torch\n")) == [2]
    assert _torch_imports_before_the_skip(ast.parse('import pytest\ntorch = pytest.importorskip("torch")\n'
                                                    "import torch.nn as nn\n")) == []
    for way in ("import torch.nn as nn", "from torch import nn", 'torch = pytest.importorskip("torch")',
                'importlib.import_module("torch.nn")', 'ours, theirs = load("minigan"), load("torch")',
                "from pytorch.oracle import HAVE_TORCH",
                "from pytorch import exception_oracle", "import pytorch.random_programs",
                "skip = not HAVE_TORCH", "from conftest import NORM_BIAS", 'run("import torch\\nprint(1)")',
                "@pytest.mark.skipif(not oracle.HAVE_TORCH, reason='')\ndef test(): pass"):
        assert names_the_oracle(ast.parse(way)), way
    for plain in ("import minigan", "from conftest import ulps", 'x = "torch"', "torchvision_like = 1",
                  'pytest.raises(TypeError, match="torch")', 'load("torchvision_like")',
                  'assert "torch.Tensor" in repr(x)', "from library.helpers_nn import make"):
        assert not names_the_oracle(ast.parse(plain)), plain


def test_the_head_of_a_module_finds_what_its_whole_tree_does(tmp_path):
    skip = 'torch = pytest.importorskip("torch")\n'
    for text, lines in [
            ("import pytest\nimport torch\n" + skip, [2]),
            ("import pytest\n" + skip + "import torch\n", []),
            ('"""skipped by importorskip, below"""\nimport os, \\\n    torch.nn\n' + skip, [2]),
            ("import pytest\ndef f():\n    " + skip + "import torch\n", []),  # (a def that skips is the skip)
            ("import pytest\nx = 1; from torch import nn\nif True:\n    " + skip + "    y = 2\nimport torch\n",
             [2]),
            ("import pytest\nimport torch\n", [2]), ("import torchvision\nx = 'torch'\n", [])]:
        path = tmp_path / "test_module.py"
        path.write_text(text)
        assert _torch_imports_before_the_skip(_head(path)) == _torch_imports_before_the_skip(_read(path)) == lines, text


def test_no_test_file_is_over_800_lines():
    # the house rule for every module (a learner reads a test file whole); a corpus of programs goes on in a
    # second file that registers its own (tests/pytorch/corpus_<topic>.py, survey/idioms_<topic>.py)
    long = {p.relative_to(TESTS).as_posix(): n for p in _modules(TESTS)
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 800}
    assert long == {}, f"test files over 800 lines (split them, or turn their copies into a generator): {long}"
