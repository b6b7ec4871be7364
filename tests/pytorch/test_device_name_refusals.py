"""A device name PyTorch refuses, at every door that takes one (torch.device, a factory's device=, Tensor.to,
Module.to, tensor(..., device=)), raises PyTorch's class in minigan too: RuntimeError for a string that names no
device ('tpu', 'CPU', 'cuda:x', ''), or a negative index, TypeError for an argument that is no device at all (None,
a float, an index given as a string).  A device type PyTorch knows and minigan does not run on ('mps', 'xpu', 'meta':
docs/pytorch.md, "cpu and cuda only") is refused with RuntimeError, PyTorch's class for a device its build lacks."""

import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402

MALFORMED = ["tpu", "CPU", "gpu0", "cuda:x", "cuda:-1", "", " cpu", "cpu:", "cuda:0:1", "cuda: 1", "opengl2"]
UNSUPPORTED = ["mps", "xpu", "meta", "ipu", "hip"]
DEVICE_ARGS = [(None,), (1.5,), (["cpu"],), ("cuda", "1"), ("cpu", -1), ("cuda", -2), ("cpu", 1.0)]


def _doors(lib, name):
    return {
        "device": lambda: lib.device(name),
        "zeros": lambda: lib.zeros(2, device=name),
        "tensor": lambda: lib.tensor([1.0], device=name),
        "Tensor.to": lambda: lib.ones(2).to(name),
        "Module.to": lambda: lib.nn.Linear(2, 1).to(name),
    }


def _raised(fn):
    try:
        fn()
    except Exception as exc:  # noqa: BLE001 - the class is the result
        return exc
    return None


CASES = [(name, door) for name in MALFORMED for door in _doors(minigan, name)]


@pytest.mark.parametrize("name, door", CASES)
def test_a_malformed_device_name_raises_pytorchs_class(name, door):
    theirs = _raised(_doors(torch, name)[door])
    mine = _raised(_doors(minigan, name)[door])
    assert theirs is not None, f"PyTorch accepts {name!r} at {door}"
    assert isinstance(mine, type(theirs)), f"minigan {mine!r}, PyTorch {theirs!r}"


@pytest.mark.parametrize("name, door", [(n, d) for n in UNSUPPORTED for d in _doors(minigan, n)])
def test_a_device_minigan_does_not_run_on_is_a_runtime_error(name, door):
    mine = _raised(_doors(minigan, name)[door])
    assert isinstance(mine, RuntimeError), repr(mine)
    assert "cpu" in str(mine) and "cuda" in str(mine)  # what to use instead


@pytest.mark.parametrize("args", DEVICE_ARGS, ids=repr)
def test_device_arguments_refused_with_pytorchs_class(args):
    theirs = _raised(lambda: torch.device(*args))
    mine = _raised(lambda: minigan.device(*args))
    assert theirs is not None
    assert isinstance(mine, type(theirs)), f"minigan {mine!r}, PyTorch {theirs!r}"


@pytest.mark.parametrize("name", ["cpu", "cpu:0", "cpu:1"])
def test_the_cpu_names_pytorch_accepts_work(name):
    for lib in (torch, minigan):
        assert lib.zeros(2, device=name).device.type == "cpu"
        assert str(lib.device(name)) == name


@pytest.mark.parametrize("where", ["tpu", "CPU", "mps", 5, 1.5])
def test_load_map_location_refused_with_pytorchs_class(where, tmp_path):
    torch.save({"a": torch.ones(1)}, tmp_path / "theirs.pt")
    minigan.save({"a": minigan.ones(1)}, tmp_path / "mine.pt")
    theirs = _raised(lambda: torch.load(tmp_path / "theirs.pt", map_location=where))
    mine = _raised(lambda: minigan.load(tmp_path / "mine.pt", map_location=where))
    if theirs is None:  # 'mps': PyTorch maps the storages there; minigan runs on cpu and cuda only
        assert isinstance(mine, RuntimeError)
    else:
        assert isinstance(mine, type(theirs)), f"minigan {mine!r}, PyTorch {theirs!r}"
