"""``import minigan`` hands names on lazily, so the engine runs alone.

* ``import minigan.engine`` loads no minigan module outside ``minigan/engine/``, and an engine tensor's ``x * x``
  stays an engine tensor until the surface (``minigan.surface.tensor``) is imported;
* every name ``dir(minigan)`` listed when ``minigan/__init__.py`` imported everything, and every ``minigan.a.b``
  path that README.md, docs/ and demos/ name, still resolves after a bare ``import minigan`` to the object it was
  then (``tests/library/public_names.json``: each one's module and qualified name, or its type and repr);
* the first public name asked for imports the surface, so a tensor got through ``minigan.*`` is a minigan.Tensor.

Each check runs in a fresh interpreter: the test process has imported everything long ago.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import minigan

ROOT = Path(__file__).resolve().parents[2]
PUBLIC = json.loads((Path(__file__).with_name("public_names.json")).read_text(encoding="utf-8"))


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


DESCRIBE = """
import json, re, types
def describe(obj):
    if isinstance(obj, types.ModuleType):
        return "module " + obj.__name__
    if isinstance(obj, (type, types.FunctionType, types.BuiltinFunctionType)) or (
            callable(obj) and hasattr(obj, "__qualname__") and hasattr(obj, "__module__")):
        return f"{getattr(obj, '__module__', '?')}.{getattr(obj, '__qualname__', '?')}"
    return re.sub(" at 0x[0-9a-f]+", "", f"{type(obj).__module__}.{type(obj).__qualname__} {obj!r}")
"""


def test_importing_the_engine_loads_no_other_minigan_module():
    out = _run("""
        import sys
        import numpy as np
        import minigan.engine
        from minigan.engine import Tensor, no_grad
        x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
        y = x * x
        y.sum().backward()
        others = [m for m in sys.modules if m.startswith("minigan.") and not m.startswith("minigan.engine")]
        print(others, type(y).__module__, x.grad.array.tolist())
    """)
    assert out.split() == ["[]", "minigan.engine.tensor", "[2.0,", "4.0]"]


def test_every_public_name_and_documented_path_resolves_to_what_it_was():
    """Documented paths first (each from a bare ``import minigan``), then every name of the old ``dir(minigan)``."""
    out = _run(DESCRIBE + f"""
import minigan
got = {{}}
for path in {sorted(PUBLIC["paths"])!r}:
    obj = minigan
    for part in path.split(".")[1:]:
        obj = getattr(obj, part)
    got[path] = describe(obj)
for name in {sorted(PUBLIC["names"])!r}:
    got[name] = describe(getattr(minigan, name))
print(json.dumps(got))
""")
    got = json.loads(out)
    expected = {**PUBLIC["paths"], **PUBLIC["names"]}
    assert len(expected) > 450  # (the list was read: README, docs, demos and the old dir(minigan))
    assert {k: got[k] for k in expected if got[k] != expected[k]} == {}


def test_dir_and_star_import_list_every_public_name():
    assert set(PUBLIC["names"]) <= set(dir(minigan))
    out = _run("""
        import builtins
        from minigan import *
        import minigan
        same = builtins.all(globals()[name] is getattr(minigan, name) for name in minigan.__all__)
        print(same, builtins.len(minigan.__all__))
    """)
    assert out.split()[0] == "True" and int(out.split()[1]) > 350


def test_the_first_public_name_asked_for_installs_the_surface():
    """An engine tensor made before ``import minigan`` gives minigan.Tensor results once a name is asked.

    (``minigan.engine`` itself, once imported, is a plain attribute of the package: the engine alone, by design.)
    """
    for first in ("float32", "tensor", "no_grad", "nn", "Size"):
        out = _run(f"""
            import sys
            import numpy as np
            from minigan.engine import Tensor
            x = Tensor(np.array([1.0, 2.0]))
            import minigan
            before = "minigan.surface.tensor" in sys.modules
            minigan.{first}
            print(before, type(x * x).__module__)
        """)
        assert out.split() == ["False", "minigan.surface.tensor"], first


def test_a_pickled_tensor_and_module_load_in_a_fresh_interpreter():
    """pickle finds classes by ``__module__``: a tensor and a layer come back as they were, nothing imported first."""
    blob = _run("""
        import pickle, sys
        import minigan
        layer = minigan.nn.Linear(2, 3)
        sys.stdout.write(pickle.dumps((minigan.tensor([1.0, 2.0]), layer)).hex())
    """)
    out = _run(f"""
        import pickle
        x, layer = pickle.loads(bytes.fromhex({blob!r}))
        print(type(x).__module__, type(layer(x)).__module__, type(layer).__name__, x.tolist())
    """)
    assert out.split() == ["minigan.surface.tensor", "minigan.surface.tensor", "Linear", "[1.0,", "2.0]"]


def test_gradcheck_stays_the_function_whichever_door_opens_its_module():
    """``minigan.gradcheck`` and ``minigan.gradgradcheck`` are the functions after ``minigan.autograd``'s
    (PyTorch's torch.autograd.gradcheck) is asked for first, in either order (their module, once named gradcheck.py,
    became the package's ``gradcheck`` when imported: TypeError: 'module' object is not callable)."""
    for first in ("autograd.gradcheck", "autograd.gradgradcheck", "gradgradcheck", "gradcheck"):
        out = _run(f"""
            import minigan
            minigan.{first}
            print(callable(minigan.gradcheck), minigan.gradcheck.__module__, callable(minigan.gradgradcheck))
        """)
        assert out.split() == ["True", "minigan.finite_differences", "True"], (first, out)


def test_a_missing_module_gets_its_advice_in_a_fresh_process():
    """``import minigan.fft`` as a program's first line: the one-line advice, as after any name was asked for."""
    out = _run("""
        results = []
        for statement in ("import minigan.fft", "from minigan import fft", "import minigan.fft"):
            try:
                exec(statement)
            except ImportError as e:
                results.append(f"{type(e).__name__}: {e}")
        print("\\n".join(results))
    """)
    lines = out.strip().splitlines()
    assert len(lines) == 3 and len(set(lines)) == 1, lines
    assert lines[0].startswith("NotInMiniganToImport: minigan.fft: "), lines


def test_pytorchs_data_modules_import_and_their_missing_names_get_the_advice():
    """``from torch.utils.data import sampler`` (dataset, dataloader) after the rename: PyTorch's classes there, the
    same as minigan.utils.data's; a name they lack (in a plain module too: minigan.linalg) its one line."""
    out = _run("""
        from minigan.utils.data import sampler, dataset, dataloader
        from minigan.utils.data.sampler import RandomSampler, BatchSampler
        from minigan.utils.data.dataset import Dataset, TensorDataset
        from minigan.utils.data.dataloader import DataLoader, default_collate
        import minigan.utils.data as D
        print(RandomSampler is D.RandomSampler and Dataset is D.Dataset and DataLoader is D.DataLoader)
        for statement in ("from minigan.utils.data.sampler import DistributedSampler",
                          "from minigan.utils.data.dataloader import get_worker_info",
                          "from minigan.utils.data.dataset import IterableDataset",
                          "from minigan.linalg import svd"):
            try:
                exec(statement)
            except ImportError as e:
                print(type(e).__name__, str(e).split(":")[0])
    """)
    assert out.split("\n")[:5] == ["True", "NotInMiniganToImport minigan.utils.data.sampler.DistributedSampler",
                                   "NotInMiniganToImport minigan.utils.data.dataloader.get_worker_info",
                                   "NotInMiniganToImport minigan.utils.data.dataset.IterableDataset",
                                   "NotInMiniganToImport minigan.linalg.svd"], out
