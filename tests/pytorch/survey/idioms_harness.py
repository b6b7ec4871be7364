"""Run each program under PyTorch and under minigan, the same code with each library passed in, and compare
what they give back: values (allclose), shapes, dtypes, Python types, and the kind of exception when one raises.
``python idioms_tensors.py [name ...]`` prints the comparison of that file's programs."""

import importlib
import traceback
import warnings

import minigan.nn.functional as MF
import numpy as np

import minigan as M
import minigan.nn as Mnn
import minigan.optim as Moptim
import minigan.utils.data as Mdata

LIBS = {"minigan": dict(torch=M, nn=Mnn, F=MF, optim=Moptim, data=Mdata)}
# Without PyTorch the programs still run on minigan, against what PyTorch gave them (tests/pytorch/pytorch_records/,
# written by tests/pytorch/record_pytorch.py); isinstance(v, ()) is False, so no value is taken for one of PyTorch's.
TORCH_TENSOR = TORCH_DTYPE = TORCH_SIZE = ()
try:
    import torch as T
    import torch.nn as Tnn
    import torch.nn.functional as TF
    import torch.optim as Toptim
    import torch.utils.data as Tdata
except ImportError:
    T = None
else:
    T.set_num_threads(1)
    LIBS["torch"] = dict(torch=T, nn=Tnn, F=TF, optim=Toptim, data=Tdata)
    TORCH_TENSOR, TORCH_DTYPE, TORCH_SIZE = T.Tensor, T.dtype, T.Size

SNIPPETS = []
FILES = ["tensors", "autograd", "nn", "loss_optim", "data_io_gan", "misc", "modules", "data_more", "more",
         "programs", "tutorials", "gans_attacks", "losses", "rl_attention", "creation_dtypes", "shapes_indexing",
         "autograd_edges", "autograd_hooks_views", "layers_architectures", "modules_reprs_state", "modules_api",
         "functional", "optimizers", "training_loops", "loaders", "saving"]  # tests/pytorch/survey/idioms_<name>.py


def load_programs():
    """Every program of the survey's files, in order (a file adds its programs to SNIPPETS when imported)."""
    for name in FILES:
        importlib.import_module(f"idioms_{name}")
    return SNIPPETS


def snippet(fn):
    SNIPPETS.append(fn)
    return fn


def X(shape, seed=1):
    """Standard-normal float32 values from NumPy: the same input for both libraries."""
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def U(shape, seed=1):
    """Uniform [0, 1) float32 values from NumPy."""
    return np.random.default_rng(seed).random(shape).astype(np.float32)


def catch(fn, cls):
    """What `try: fn() except cls:` sees: the class name when it catches, else what escaped it."""
    try:
        fn()
        return "no error"
    except cls:
        return cls.__name__
    except Exception as e:  # noqa: BLE001
        return "other " + type(e).__name__


def seed_params(torch, model, seed=0, scale=0.3):
    """Fill every parameter from NumPy, in parameters() order, identically for both libraries."""
    rng = np.random.default_rng(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.tensor((rng.standard_normal(tuple(p.shape)) * scale).astype(np.float32)))
    return model


def dtname(d):
    if isinstance(d, TORCH_DTYPE):
        return str(d).replace("torch.", "")
    try:
        return np.dtype(d).name
    except Exception:
        return repr(d)


def norm(v):
    if isinstance(v, TORCH_TENSOR):
        return ("T", tuple(v.shape), dtname(v.dtype), v.detach().cpu().numpy().copy())
    if isinstance(v, M.Tensor):
        return ("T", tuple(v.shape), dtname(v.dtype), np.array(v.detach().numpy()).copy())
    if isinstance(v, TORCH_DTYPE):
        return ("dtype", dtname(v))
    if isinstance(v, (np.dtype, M.dtype)):
        return ("dtype", dtname(v))
    if isinstance(v, np.ndarray):
        return ("A", v.shape, v.dtype.name, v.copy())
    if isinstance(v, np.generic):
        return ("py", v.item(), type(v.item()).__name__)
    if isinstance(v, TORCH_SIZE):
        return ("tuple", [norm(x) for x in v])
    if isinstance(v, dict):
        return ("dict", {k: norm(x) for k, x in v.items()})
    if isinstance(v, (list, tuple)):
        return (type(v).__name__ if type(v) in (list, tuple) else "tuple", [norm(x) for x in v])
    if isinstance(v, str):  # what a program prints: PyTorch's text with the library's name (torch.float32)
        return ("py", v.replace("torch.", "minigan."), "str")
    if isinstance(v, (bool, int, float, type(None))):
        return ("py", v, type(v).__name__)
    return ("obj", type(v).__name__, repr(v)[:200])


def diff(a, b, path="", rtol=1e-4, atol=1e-5):
    out = []
    if a[0] != b[0]:
        out.append(f"{path}: kind {a[0]} vs {b[0]}: {str(a)[:200]} | {str(b)[:200]}")
        return out
    k = a[0]
    if k in ("T", "A"):
        if a[1] != b[1]:
            out.append(f"{path}: shape {a[1]} vs {b[1]}")
            return out
        if a[2] != b[2]:
            out.append(f"{path}: dtype {a[2]} vs {b[2]}")
        x, y = a[3], b[3]
        try:
            ok = np.allclose(x.astype(np.float64), y.astype(np.float64), rtol=rtol, atol=atol, equal_nan=True)
        except Exception:
            ok = False
        if not ok:
            out.append(f"{path}: values differ\n   torch  ={np.array2string(x, threshold=20)}\n   minigan={np.array2string(y, threshold=20)}")
    elif k == "dict":
        ka, kb = list(a[1]), list(b[1])
        if ka != kb:
            out.append(f"{path}: keys {ka} vs {kb}")
        for kk in ka:
            if kk in b[1]:
                out += diff(a[1][kk], b[1][kk], f"{path}.{kk}", rtol, atol)
    elif k in ("list", "tuple"):
        if len(a[1]) != len(b[1]):
            out.append(f"{path}: len {len(a[1])} vs {len(b[1])}: {str(a)[:300]} | {str(b)[:300]}")
        for i, (x, y) in enumerate(zip(a[1], b[1])):
            out += diff(x, y, f"{path}[{i}]", rtol, atol)
    elif k == "py":
        if a[2] != b[2] and not ({a[2], b[2]} <= {"int", "float"} and a[1] == b[1]):
            out.append(f"{path}: pytype {a[2]} vs {b[2]} ({a[1]!r} vs {b[1]!r})")
        elif isinstance(a[1], float) and isinstance(b[1], (float, int)):
            if not np.isclose(a[1], b[1], rtol=rtol, atol=atol, equal_nan=True):
                out.append(f"{path}: {a[1]!r} vs {b[1]!r}")
        elif a[1] != b[1]:
            out.append(f"{path}: {a[1]!r} vs {b[1]!r}")
    elif k == "dtype":
        if a[1] != b[1]:
            out.append(f"{path}: dtype {a[1]} vs {b[1]}")
    elif k == "obj":
        if a[1] != b[1]:
            out.append(f"{path}: obj {a[1]} vs {b[1]}")
    elif k == "EXC":
        pass
    return out


def run_fn(fn, lib):
    try:
        with warnings.catch_warnings():  # (the programs' own warnings, e.g. PyTorch's deprecations, are not checked)
            warnings.simplefilter("ignore")
            names = fn.__code__.co_varnames[: fn.__code__.co_argcount]
            return norm(fn(**{k: v for k, v in LIBS[lib].items() if k in names}))
    except Exception as e:
        tb = traceback.extract_tb(e.__traceback__)
        where = [f"{f.filename.split('/')[-1]}:{f.lineno}" for f in tb][-2:]
        return ("EXC", type(e).__name__, str(e).split("\n")[0][:300], where)


def compare(fn):
    """The differences between the program's results under PyTorch and under minigan (empty when they agree)."""
    return compare_results(fn, run_fn(fn, "torch"), run_fn(fn, "minigan"))


def compare_results(fn, a, b):
    """The differences between PyTorch's results ``a`` (run now or recorded) and minigan's ``b`` of program fn."""
    if a[0] == "EXC" or b[0] == "EXC":
        if a[0] == "EXC" and b[0] == "EXC":
            return [] if a[1] == b[1] else [f"both raise: torch {a[1]}: {a[2][:150]} | minigan {b[1]}: {b[2][:150]}"]
        return [f"torch: {str(a)[:400]}\n   minigan: {str(b)[:400]}"]
    return diff(a, b, rtol=getattr(fn, "rtol", 1e-4), atol=getattr(fn, "atol", 1e-5))


def main(selected=None):
    matched = 0
    chosen = [fn for fn in SNIPPETS if not selected or fn.__name__ in selected]
    for fn in chosen:
        differences = compare(fn)
        matched += not differences
        print(f"--- {fn.__name__}: {'DIFF' if differences else 'ok'}")
        for line in differences:
            print("   " + line)
    print(f"TOTAL {len(chosen)} matched {matched}")
