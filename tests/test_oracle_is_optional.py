"""PyTorch is a test-only oracle: without it the suite still runs, and the comparisons skip.  A test module that
imports torch at its top before ``pytest.importorskip("torch")`` stops the whole suite's collection on a machine
without PyTorch (the README's own set-up); read with ``ast``, nothing is imported."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _torch_imports_before_the_skip(tree) -> list:
    found, skipped = [], False
    for node in tree.body:
        if "importorskip" in ast.unparse(node) and "torch" in ast.unparse(node):
            skipped = True
        names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                 [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
        if not skipped and any(n == "torch" or n.startswith("torch.") for n in names):
            found.append(node.lineno)
    return found


def test_no_test_module_imports_torch_before_skipping_without_it():
    offenders = {p.name: lines for p in sorted(TESTS.glob("*.py"))
                 if (lines := _torch_imports_before_the_skip(ast.parse(p.read_text(encoding="utf-8"))))}
    assert offenders == {}, f"import torch before pytest.importorskip('torch') (module: line): {offenders}"


def test_the_check_sees_a_bare_import():
    assert _torch_imports_before_the_skip(ast.parse("import pytest\nimport torch\n")) == [2]
    assert _torch_imports_before_the_skip(ast.parse('import pytest\ntorch = pytest.importorskip("torch")\n'
                                                    "import torch.nn as nn\n")) == []
