"""PyTorch's answers that are data, recorded so that the tests comparing minigan with them run without PyTorch.

``python tests/pytorch/record_pytorch.py [family ...]`` (PyTorch installed) asks PyTorch again and rewrites
tests/pytorch/pytorch_records/<family>.json: the PyTorch version, then what PyTorch gave for each case, in a fixed order
(a diff of the file shows what a new PyTorch changed).  The tests named tests/test_recorded_*.py read the files
and run without PyTorch.  Where PyTorch is installed, tests/pytorch/test_records_are_pytorchs.py asks PyTorch once
more for each family and compares with the file (``stale``), so a record that no longer says what PyTorch says fails
there: CI installs the oracle.

Families (each a function of PyTorch giving {case: answer}):
  survey_programs   what each program of tests/pytorch/survey/ gives back under PyTorch (the harness's plain form:
                    values, shapes, dtypes, Python types, the exception's class)
  signatures        the names each function of torch.nn.functional and class of torch.nn and torch.optim takes by
                    position, in order
  parser_signatures the overloads PyTorch's argument parser lists for each function of torch and method of
                    torch.Tensor written in C (names by position, names by keyword only, *sizes?): what
                    tools/make_doors.py reads to give minigan's doors PyTorch's NumPy aliases (axis for dim, ...)
  tensor_prints     repr(tensor) of values of every dtype and style (tests/pytorch/test_recorded_tensor_prints.py)
  class_hierarchy   the public classes each public class is a subclass of, and what each lazy layer becomes
                    (tests/pytorch/test_recorded_class_hierarchy.py)
  PROGRAM_FAMILIES  what the programs of tests/test_recorded_<family>.py give back under PyTorch
"""

import functools
import json
import sys
from pathlib import Path

import numpy as np

TESTS = Path(__file__).parent
sys.path.insert(0, str(TESTS.parent))  # tests/, where the wings are packages (run as a script too)
RECORDS = TESTS / "pytorch_records"
SURVEY = TESTS / "survey"


# ----------------------------------------------------------------------------- the files
def load(family):
    """{"pytorch": version, "records": {case: answer}} as written by ``write`` (no records before the first)."""
    path = RECORDS / f"{family}.json"
    return json.loads(path.read_text()) if path.exists() else {"pytorch": "0.0+not recorded", "records": {}}


def write(family, version, records):
    """One case a line, so that a diff of the file names the cases whose answer changed."""
    lines = [f" {json.dumps(case)}: {json.dumps(answer, separators=(',', ':'))}" for case, answer in records.items()]
    text = f'{{"pytorch": {json.dumps(version)}, "records": {{\n' + ",\n".join(lines) + "\n}}\n"
    (RECORDS / f"{family}.json").write_text(text)


def version_tuple(version):
    """ "2.13.0+cpu" -> (2, 13): the part pytorch_since and pytorch_before compare."""
    return tuple(int(part) for part in version.split("+")[0].split(".")[:2])


# ----------------------------------------------------------------------------- results as JSON
def _number(x):
    """A NumPy float as the shortest decimal that gives the same value back in its own dtype (JSON writes NaN and
    Infinity as such); a complex number as [real, imaginary]."""
    if np.iscomplexobj(x):
        return [_number(x.real), _number(x.imag)]
    return float(str(x)) if isinstance(x, np.floating) else x.item()


def _scalar(value):
    if isinstance(value, complex):
        return {"complex": [value.real, value.imag]}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"no JSON form for a {type(value).__name__} ({value!r}): extend record_pytorch._scalar")


def _unscalar(value):
    return complex(*value["complex"]) if isinstance(value, dict) else value


def encode(form):
    """The harness's plain form of a result (idioms_harness.norm: tuples tagged with a kind) as JSON lists."""
    kind = form[0]
    if kind in ("T", "A"):
        _, shape, dtype, array = form
        return [kind, list(shape), dtype, [_number(x) for x in np.asarray(array).ravel()]]
    if kind == "py":
        return [kind, _scalar(form[1]), form[2]]
    if kind == "dict":
        return [kind, [[_scalar(key), encode(value)] for key, value in form[1].items()]]
    if kind in ("list", "tuple"):
        return [kind, [encode(item) for item in form[1]]]
    if kind == "obj":  # its repr may hold a memory address: the type's name is what the harness compares
        return [kind, form[1]]
    if kind == "EXC":  # the exception's class and first line; where it was raised is PyTorch's own file
        return [kind, form[1], form[2]]
    return list(form)  # ("dtype", name)


def decode(json_form):
    """``encode``'s inverse: the harness's plain form, as idioms_harness.diff compares it."""
    kind = json_form[0]
    if kind in ("T", "A"):
        _, shape, dtype, values = json_form
        if dtype.startswith("complex"):
            values = [complex(*v) for v in values]
        return (kind, tuple(shape), dtype, np.array(values, dtype=dtype).reshape(shape))
    if kind == "py":
        return (kind, _unscalar(json_form[1]), json_form[2])
    if kind == "dict":
        return (kind, {_unscalar(key): decode(value) for key, value in json_form[1]})
    if kind in ("list", "tuple"):
        return (kind, [decode(item) for item in json_form[1]])
    if kind == "obj":
        return (kind, json_form[1], "")
    if kind == "EXC":
        return (kind, json_form[1], json_form[2], [])
    return tuple(json_form)


def survey_harness():
    """tests/pytorch/survey/idioms_harness.py with every program loaded (it imports PyTorch only where installed)."""
    if str(SURVEY) not in sys.path:
        sys.path.insert(0, str(SURVEY))
    import idioms_harness
    idioms_harness.load_programs()
    return idioms_harness


def record_survey_programs():
    harness = survey_harness()
    return {fn.__name__: encode(harness.run_fn(fn, "torch")) for fn in harness.SNIPPETS}


# Survey programs whose answer is the host's: whether it has CUDA (a device picked by torch.cuda.is_available(), the
# device count).  The record is a host's without CUDA, as CI's; where the library compared has a GPU, they are not
# compared (tests/pytorch/test_recorded_survey.py for minigan, survey_programs_differences for PyTorch).
ASK_THE_HOST = {"module_device_cpu", "backends_cuda_seed"}


def survey_programs_differences(recorded, live):
    """Where PyTorch now gives another answer than the record (within the comparison's own tolerance)."""
    import torch
    harness = survey_harness()
    programs = {fn.__name__: fn for fn in harness.SNIPPETS}
    out = [f"{name}: recorded but no longer a program" for name in recorded if name not in live]
    for name, answer in live.items():
        if name not in recorded:
            out.append(f"{name}: a program with no record")
        elif name in ASK_THE_HOST and torch.cuda.is_available():
            continue
        elif answer != recorded[name]:
            lines = harness.compare_results(programs[name], decode(recorded[name]), decode(answer))
            out += [f"{name} (the record, then this PyTorch): {line}" for line in lines]
    return out


# ----------------------------------------------------------------------------- families of programs
# A test module tests/test_recorded_<family>.py names PROGRAMS = {case: program}: each program a function whose
# arguments are named as the survey's (torch, nn, F, optim, data) and given either library, returning what is
# compared (as the survey's: the harness's plain form, within the program's rtol and atol attributes).
PROGRAM_FAMILIES = ["order_statistics", "inplace_methods", "bitwise", "module_reprs", "special_values",
                    "dtype_promotion", "interpolate_modes", "numpy_scalars_and_refusals"]


# A module may also name COMPARE(case, pytorchs, minigans) -> [difference], for a comparison of its own.


def family_module(family):
    import importlib
    return importlib.import_module(f"pytorch.test_recorded_{family}")


def programs_of(family):
    return family_module(family).PROGRAMS


def record_programs(family):
    harness = survey_harness()
    return {case: encode(harness.run_fn(program, "torch")) for case, program in programs_of(family).items()}


def program_differences(program, recorded, compare=None):
    """Where the program run on minigan gives back other than PyTorch's recorded answer (by the survey's
    comparison, or by ``compare(pytorchs, minigans)``)."""
    harness = survey_harness()
    minigans = harness.run_fn(program, "minigan")
    if compare is not None:
        return compare(decode(recorded), minigans)
    return harness.compare_results(program, decode(recorded), minigans)


def programs_differences(family):
    """The function that compares a family's record with PyTorch's answers now, program by program."""
    def differences(recorded, live):
        harness = survey_harness()
        programs = programs_of(family)
        compare = getattr(family_module(family), "COMPARE", None)
        out = [f"{case}: recorded, but no longer a program" for case in recorded if case not in live]
        for case, answer in live.items():
            if case not in recorded:
                out.append(f"{case}: a program with no record")
            elif answer != recorded[case] and compare is not None:  # (this PyTorch's answer in minigan's place)
                out += [f"{case} (this PyTorch, against the record): {line}"
                        for line in compare(case, decode(recorded[case]), decode(answer))]
            elif answer != recorded[case]:
                lines = harness.compare_results(programs[case], decode(recorded[case]), decode(answer))
                out += [f"{case} (the record, then this PyTorch): {line}" for line in lines]
        return out
    return differences


def tolerance(rtol, atol):
    """Gives a program the tolerance its comparison allows (the harness reads the attributes)."""
    def give(program):
        program.rtol, program.atol = rtol, atol
        return program
    return give


# ----------------------------------------------------------------------------- argument names and order
SIGNATURE_GENERIC = {"Module", "Parameter", "Sequential", "Optimizer"}  # (*args, **kwargs) or containers


def positional(f):
    """The names a call may give by position, in order (None where Python sees no signature, a C function's)."""
    import inspect
    try:
        params = inspect.signature(f).parameters.values()
    except (TypeError, ValueError):
        return None
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return [p.name for p in params if p.kind in kinds and not p.name.startswith("_") and p.name != "self"]


def record_signatures():
    """Every public function of torch.nn.functional ("F.name") and class of torch.nn and torch.optim ("nn.Name",
    "optim.Name": its __init__), whether minigan has it or not: the names it takes by position."""
    import inspect

    import torch.nn
    import torch.nn.functional
    import torch.optim
    out = {}
    for name in sorted(dir(torch.nn.functional)):
        f = getattr(torch.nn.functional, name)  # (a C function is left out: whether Python reads its signature
        if not name.startswith("_") and callable(f) and not inspect.isbuiltin(f):  # depends on Python's version)
            out[f"F.{name}"] = positional(f)
    for module, prefix in ((torch.nn, "nn"), (torch.optim, "optim")):
        for name in sorted(dir(module)):
            if name[0].isupper() and inspect.isclass(getattr(module, name)) and name not in SIGNATURE_GENERIC:
                out[f"{prefix}.{name}"] = positional(getattr(module, name).__init__)
    return out


def record_parser_signatures():
    """Every public function of torch ("torch.name") and method of torch.Tensor ("Tensor.name", operators too) written
    in C, whether minigan has it or not: each overload as [names by position, names by keyword only, *sizes?], as
    tests/pytorch/signature_survey.py reads them from the parser (an empty list where the parser lists none and the
    docstring shows none).  Only C functions take NumPy's names for their arguments (axis for dim, x for input)."""
    import inspect

    import torch

    from pytorch import signature_survey
    out = {}
    for prefix, space, method in (("torch", torch, False), ("Tensor", torch.Tensor, True)):
        for name in sorted(dir(space)):
            f = getattr(space, name, None)
            in_c = inspect.isbuiltin(f) or type(f).__name__ in ("method_descriptor", "wrapper_descriptor")
            if in_c and (not name.startswith("_") or name.startswith("__") and method):
                out[f"{prefix}.{name}"] = [[list(ov[0]), list(ov[1]), ov[2]] for ov in
                                           signature_survey.pytorch_overloads(f, name, method)]
    return out


def exact_differences(recorded, live):
    """Where a record of plain data (names, text) is not what PyTorch now gives, case by case."""
    out = [f"{case}: recorded, but PyTorch has no such case now" for case in recorded if case not in live]
    out += [f"{case}: PyTorch now gives {answer!r}, the record {recorded.get(case, '(nothing)')!r}"
            for case, answer in live.items() if recorded.get(case, object()) != answer]
    return out


# ----------------------------------------------------------------------------- how tensors print
PRINT_SHAPES = [(), (5,), (3, 4), (2, 3, 4), (2, 2, 2, 2), (1, 1), (4, 1, 3)]
PRINT_SCALES = [1.0, 1e-6, 1e-3, 0.5, 100.0, 5000.0, 1e9, 1e30]
NAN, INF = float("nan"), float("inf")
PRINT_SPECIAL = [
    [2.5], 2.5, 0.0, -0.0, 3.0, NAN, INF, -INF, 1e-5, 1e10, 123456789.0,
    [0.0, 0.0], [-0.0, 1.0], [-0.0, 1.5], [-0.0, 1e-8], [NAN, 1.0], [NAN, 1.5],
    [INF, 2.0, -INF], [NAN, INF], [1e-5, 1.0], [1.0, 1000.0], [1.0, 1001.0],
    [1e8, 1.0], [1.1e8], [1e-4], [9.9e-5], [1.0, -2.0, 3.0], [[0.1, -20.5], [300.25, 0.0]],
    [[1e-10, NAN], [-0.0, 7.0]], [12345.678, 0.001], [[1, 2], [3, 4]], [[-1, 200], [3, 4]],
    [True, False], [[True], [False]], 7, -7, True,
]
PRINT_OPS = {  # what is done to a tensor before it is printed (its grad_fn, a Parameter's header)
    "x*2": lambda lib, x: x * 2, "x+x": lambda lib, x: x + x, "sum": lambda lib, x: x.sum(),
    "exp": lambda lib, x: x.exp(), "x-1": lambda lib, x: x - 1, "x/3": lambda lib, x: x / 3,
    "tanh": lambda lib, x: x.tanh(), "mean": lambda lib, x: x.mean(), "-x": lambda lib, x: -x,
    "sigmoid": lambda lib, x: x.sigmoid(),
    "Parameter": lambda lib, x: lib.nn.Parameter(x.detach()),
    "frozen Parameter": lambda lib, x: lib.nn.Parameter(x.detach(), requires_grad=False),
}


def seed(text):
    """A seed that is the same in every process and on every machine (hash() of a str is not)."""
    import zlib
    return zlib.crc32(text.encode())


def _print_fuzz():
    rng = np.random.default_rng(7)
    for _ in range(300):
        shape = tuple(rng.integers(1, 6, size=rng.integers(0, 5)))
        dtype = str(rng.choice(["float32", "float64", "float16", "int64", "int8"]))
        if dtype[0] == "f":
            values = rng.standard_normal(shape) * 10.0 ** rng.integers(-6, 4)
            if rng.random() < 0.3:
                values = np.round(values)
            special = rng.choice([np.nan, np.inf, -np.inf, -0.0, 0.0], size=shape)
            values = np.where(rng.random(shape) < 0.1, special, values)
        else:
            values = rng.integers(-100, 100, size=shape)
        yield np.asarray(values).astype(dtype)


def tensor_print_cases():
    """{case: [(values, dtype name or None, requires_grad, PRINT_OPS name or None), ...]}: the tensors whose print
    is recorded, each made alike by either library from the same values."""
    cases = {}
    for dtype in ("float32", "float64", "float16"):
        for shape in PRINT_SHAPES:
            for scale in PRINT_SCALES:
                rng = np.random.default_rng(seed(f"{dtype} {shape} {scale}"))
                scale = min(scale, 1000.0) if dtype == "float16" else scale  # (float16 tops out at 65504)
                cases[f"random {dtype} {shape} x{scale:g}"] = [((rng.standard_normal(shape) * scale).astype(dtype),
                                                              None, False, None)]
            rng = np.random.default_rng(1)
            cases[f"whole {dtype} {shape}"] = [(rng.integers(-high, high, size=shape).astype(dtype), None, False, None)
                                               for high in (2, 10, 1000, 10 ** 5)
                                               if not (dtype == "float16" and high > 1000)]
    for dtype in ("int64", "int32", "int16", "int8", "uint8", "bool"):
        low, high = (0, 2) if dtype == "bool" else (0, 100) if dtype == "uint8" else (-100, 100) if dtype == "int8" \
            else (-100, 10 ** 6)
        for shape in PRINT_SHAPES:
            rng = np.random.default_rng(2)
            cases[f"integer {dtype} {shape}"] = [(rng.integers(low, high, size=shape).astype(dtype), None, False, None)]
    for values in PRINT_SPECIAL:
        flat = np.ravel(values).tolist()
        for dtype in (None, "float64", "float16"):
            if dtype is not None and not any(isinstance(v, float) for v in flat):
                continue  # (a dtype given to whole numbers makes no special value)
            if dtype == "float16" and any(np.isfinite(v) and abs(v) > 65504 for v in flat):
                continue  # (past float16's range)
            cases[f"special {values} {dtype}"] = [(values, dtype, False, None)]
    for dtype in ("float32", "float64", "int64", "bool", "uint8"):
        for shape in [(0,), (0, 3), (2, 0), (3, 0, 2), (0, 0)]:
            cases[f"empty {dtype} {shape}"] = [(np.zeros(shape, dtype=dtype), None, False, None)]
    for dtype in ("float32", "float64", "int64", "bool"):
        for shape in [(30,), (100,), (3, 25), (2, 2, 40), (1, 81)]:
            rng = np.random.default_rng(3)
            values = rng.standard_normal(shape) * 1000 if dtype[0] == "f" else rng.integers(-10 ** 9, 10 ** 9, shape)
            cases[f"long rows {dtype} {shape}"] = [(values.astype(dtype), None, False, None)]
    for dtype in ("float32", "float64", "int64", "uint8"):
        for shape in [(1001,), (1000,), (2000,), (40, 50), (10, 10, 11), (7, 7, 7, 7), (3, 400), (400, 3),
                      (2, 1000), (1001, 1)]:
            rng = np.random.default_rng(4)
            values = rng.standard_normal(shape) * 3 if dtype[0] == "f" else rng.integers(0, 200, shape)
            cases[f"summarized {dtype} {shape}"] = [(values.astype(dtype), None, False, None)]
    values = np.random.default_rng(5).standard_normal((2, 3)).astype(np.float32)
    for op in list(PRINT_OPS)[:10]:
        cases[f"grad_fn {op}"] = [(values, None, True, op)]
    cases["leaves and Parameters"] = [(v, None, True, op) for v in ([1.0, 2.5], [[1e-8, 2.0]], 3.0)
                                      for op in (None, "Parameter")] + [([1.0], None, False, "frozen Parameter")]
    for width in (68, 70, 72, 74, 76, 78):
        values = np.full((width - 10) // 8, 1.5, dtype=np.float64)
        cases[f"suffixes at width {width}"] = [(values, None, grad, op) for grad in (False, True)
                                               for op in (None, "x*2")]
    cases["fuzz"] = [(values, None, False, None) for values in _print_fuzz()]
    return cases


def printed(lib, spec):
    """What the tensor of ``spec`` prints, with the library's name for dtypes (torch.float64 -> minigan.float64)."""
    values, dtype, requires_grad, op = spec
    tensor = lib.tensor(values, dtype=None if dtype is None else getattr(lib, dtype), requires_grad=requires_grad)
    shown = PRINT_OPS[op](lib, tensor) if op else tensor
    return repr(shown).replace("torch.", "minigan.")


def record_tensor_prints():
    import torch
    return {case: [printed(torch, spec) for spec in specs] for case, specs in tensor_print_cases().items()}


# ----------------------------------------------------------------------------- families
FAMILIES = {  # family: (record: PyTorch -> {case: answer}, differences(recorded, live) -> [line])
    "survey_programs": (record_survey_programs, survey_programs_differences),
    "signatures": (record_signatures, exact_differences),
    "parser_signatures": (record_parser_signatures, exact_differences),
    "tensor_prints": (record_tensor_prints, exact_differences),
    # (tests/pytorch/test_recorded_class_hierarchy.py asks PyTorch: which public classes each one subclasses)
    "class_hierarchy": (lambda: family_module("class_hierarchy").record(), exact_differences),
}
for _family in PROGRAM_FAMILIES:
    FAMILIES[_family] = (functools.partial(record_programs, _family), programs_differences(_family))


def stale(family):
    """What a record says that PyTorch (installed here) no longer says; None where the record is another PyTorch
    version's (the caller skips, naming both)."""
    import torch
    recorded = load(family)
    if version_tuple(recorded["pytorch"]) != version_tuple(torch.__version__):
        return None
    record, differences = FAMILIES[family]
    return differences(recorded["records"], json.loads(json.dumps(record())))


def main(families):
    import torch
    RECORDS.mkdir(exist_ok=True)
    for family in families or FAMILIES:
        records = FAMILIES[family][0]()
        write(family, torch.__version__, records)
        print(f"{family}: {len(records)} cases, PyTorch {torch.__version__}")


if __name__ == "__main__":
    main(sys.argv[1:])
