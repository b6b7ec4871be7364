"""Run public PyTorch programs unchanged, once under PyTorch and once under minigan, and say which ran.

    python tools/public_programs/run.py DIR

DIR holds the programs, downloaded as they are published (their code is not part of this project):

    quickstart_tutorial.py      pytorch/tutorials  beginner_source/basics/quickstart_tutorial.py
    optimization_tutorial.py    pytorch/tutorials  beginner_source/basics/optimization_tutorial.py
    dcgan_faces_tutorial.py     pytorch/tutorials  beginner_source/dcgan_faces_tutorial.py
    mnist_main.py               pytorch/examples   mnist/main.py

Only the data is replaced: ``torchvision`` is the stand-in beside this file (synthetic images of the real
shapes).  For the minigan run, minigan's modules are put in ``sys.modules`` under PyTorch's names, so the
program's ``import torch`` gets minigan.  A program "runs" when it reaches its end without an exception.
"""

import contextlib
import io
import os
import sys
import tempfile
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
ARGS = {"mnist_main.py": ["--epochs", "1", "--log-interval", "2"]}  # one short epoch


def swap():
    import minigan

    return {"torch": minigan, "torch.nn": minigan.nn, "torch.nn.functional": minigan.nn.functional,
            "torch.nn.init": minigan.nn.init, "torch.nn.utils": minigan.nn.utils,
            "torch.nn.parallel": minigan.nn.parallel,
            "torch.optim": minigan.optim, "torch.optim.lr_scheduler": minigan.optim.lr_scheduler,
            "torch.autograd": minigan.autograd, "torch.utils": minigan.utils, "torch.utils.data": minigan.utils.data,
            "torch.backends": minigan.backends, "torch.backends.cudnn": minigan.backends.cudnn,
            "torch.cuda": minigan.cuda}


def run(path, library):
    """'ran', or where and why the program stopped."""
    names = swap()
    saved = {k: sys.modules.get(k) for k in names}
    for k in [k for k in sys.modules if k.startswith("torchvision")]:
        del sys.modules[k]
    if library == "minigan":
        sys.modules.update(names)
    cwd, argv = os.getcwd(), sys.argv
    os.chdir(tempfile.mkdtemp())
    sys.argv = [os.path.basename(path)] + ARGS.get(os.path.basename(path), [])
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(open(path).read(), path, "exec"), {"__name__": "__main__", "__file__": path})
        return "ran"
    except BaseException as e:  # noqa: BLE001  (a program may also call sys.exit)
        frame = next((f for f in reversed(traceback.extract_tb(e.__traceback__)) if f.filename == path), None)
        where = f"line {frame.lineno} ({frame.line})" if frame else "its imports"
        return f"stopped at {where}: {type(e).__name__}: {e}"
    finally:
        os.chdir(cwd)
        sys.argv = argv
        for k, v in saved.items():
            if v is None:
                sys.modules.pop(k, None)
            else:
                sys.modules[k] = v


def main(folder):
    import torch

    torch.set_num_threads(1)
    sys.path.insert(0, HERE)  # the torchvision stand-in
    programs = sorted(f for f in os.listdir(folder) if f.endswith(".py"))
    ran = {"torch": 0, "minigan": 0}
    for name in programs:
        for library in ("torch", "minigan"):
            result = run(os.path.join(os.path.abspath(folder), name), library)
            ran[library] += result == "ran"
            print(f"{name:28s} {library:8s} {result}")
    print(f"ran under PyTorch: {ran['torch']} of {len(programs)}; under minigan: {ran['minigan']} of {len(programs)}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
