"""Small traps a newcomer falls into, each closed with a message that names the fix."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(os.name != "posix", reason="a symbolic link stands for the clone")
def test_a_script_above_a_clone_named_minigan_imports_the_package_itself(tmp_path):
    """A script in the folder above a clone named ``minigan`` imported the clone's folder as an empty namespace
    package (``AttributeError: module 'minigan' has no attribute 'tensor'``, far from the cause). A namespace
    package has no ``__init__.py``, so no check inside the package could ever run there: the checkout's own
    ``__init__.py`` (the root of the repository) makes that import the package itself."""
    (tmp_path / "minigan").symlink_to(ROOT, target_is_directory=True)
    (tmp_path / "script.py").write_text("import minigan\nprint(minigan.tensor([1.0]) * 2, minigan.__file__)\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # as a newcomer runs it: no PYTHONPATH
    for argv in (["script.py"], ["-m", "minigan", "train", "--help"]):
        done = subprocess.run([sys.executable, *argv], cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=60)
        assert done.returncode == 0, done.stderr
    done = subprocess.run([sys.executable, "script.py"], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.stdout.split() == ["tensor([2.])", str(tmp_path / "minigan" / "minigan" / "__init__.py")]


@pytest.mark.parametrize("argv, said", [
    (["train", "gan", "--stesp", "100"], "python -m minigan train: error: unrecognized arguments: --stesp 100 (did "
                                         "you mean --steps?) (see python -m minigan train --help)"),
    (["prepare", "--olny", "digits-cnn"], "(did you mean --only?) (see python -m minigan prepare --help)"),
    (["train", "gan", "--nonsense"], "unrecognized arguments: --nonsense (see python -m minigan train --help)"),
    (["exercises", "list", "--nonsense"], "(see python -m minigan exercises list --help)"),
    (["exercises", "chek", "x"], "invalid choice: 'chek' (choose from "),  # (a subcommand's name)
    (["exercises", "chek", "x"], "(did you mean check?) (see python -m minigan exercises --help)"),
    (["trian", "gan"], "(did you mean train?) (see python -m minigan --help)"),
    (["train", "wgan_gp"], "(did you mean wgan-gp?) (see python -m minigan train --help)"),
    (["train", "gan", "--data", "rign"], "unknown data 'rign': expected "),
    (["train", "gan", "--data", "rign"], " (did you mean ring?)"),
    (["train", "gann", "--steps", "5"], "(did you mean gan?)"),
    (["train", "zzz"], "invalid choice: 'zzz' (choose from "),
])
def test_a_mistyped_option_points_to_its_subcommands_help(capsys, argv, said):
    """``train --stesp 100`` pointed to the top-level ``--help``, which does not list train's options."""
    from minigan.__main__ import main

    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and said in err, err
