"""Mutation testing: how many small bugs, planted one at a time, do the tests catch?

    python tools/mutation.py                        # the sample below, against the working tree's tests
    python tools/mutation.py --tests-from 7a87b6a   # the same mutants against the tests of another commit
    python tools/mutation.py --sample 40 --seed 1   # a quicker, smaller sample
    python tools/mutation.py --planted              # two bugs planted by hand: does the engine wing catch them?
    python tools/mutation.py --rerun build/before.json   # only the mutants an earlier run's tests let through

mutmut (3.x: ``pip install -e ".[mutation]"``) makes the mutants: each is one change to one function of the code below
(``+`` for ``-``, ``<`` for ``<=``, a number plus one, a dropped argument...), switched on at run time.  A mutant is
*killed* when a test fails with it on, *survives* when every test that runs the function still passes.  The score
is killed / sampled: a survivor is a bug the tests would let through (or, now and then, a change that is no bug).

Every mutant against the whole suite is hours on two cores, so this runs a FIXED, SEEDED SAMPLE of the mutants of
each group (GROUPS: the engine's ops, the optimizers, the GAN losses, the attacks) against a TARGETED test command
(TESTS: the engine wing and the library's tests of those files).  The same seed and sample on the same code give
the same mutants, so two runs (before and after a change to the tests) compare like with like.  ``--rerun`` takes
an earlier run's results (``--json``) and runs only the mutants its tests did not kill: when the tests have only
grown since (no test removed or weakened), what the earlier ones killed the later ones kill too, and the score
comes in a fraction of the time.  The work happens in a copy (build/mutation/, git-ignored): the tree itself is
never mutated.  docs/testing.md, "Strength", has
the scores.

``--suite pytorch`` scores the parity tests instead: a sample of the mutants of the surface, the functional doors and
the modules (PYTORCH_GROUPS) against tests/pytorch's default run, each mutant against the tests that run its function.
Its use: a change that folds or drops parity tests runs it with ``--tests-from`` the commit before and without, on
the same code, and every mutant the old tests killed must be killed by the new.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# what is mutated, by group: the files of each (only functions are mutated: mutmut leaves module-level lines alone)
GROUPS = {
    "engine ops": sorted(str(p.relative_to(ROOT)) for p in (ROOT / "minigan/engine/ops").glob("*.py")
                         if p.name != "__init__.py"),
    "optimizers": [f"minigan/optim/{n}.py" for n in ("sgd", "rmsprop", "adam", "optimistic_adam", "optimistic_sgd")],
    "GAN losses": [f"minigan/gans/{n}.py" for n in ("gan", "wgan", "wgan_gp", "began")],
    "attacks": ["minigan/attacks/fgsm.py", "minigan/attacks/iterative.py"],
}
SAMPLE = {"engine ops": 100, "optimizers": 40, "GAN losses": 30, "attacks": 30}  # 200 mutants in all
SEED = 92

# the targeted test command: the engine wing, and the library's tests of the optimizers, GAN losses and attacks
TESTS = ["tests/engine", "tests/library/test_optim.py", "tests/library/test_optim_arguments.py",
         "tests/library/test_gans.py", "tests/library/test_wgan_gp.py", "tests/library/test_began.py",
         "tests/library/test_r1.py", "tests/library/test_fgsm.py", "tests/library/test_attacks_iterative.py",
         "tests/library/test_closed_forms.py"]  # (a path the tests lack, e.g. in an older commit, is left out)

# tests that read minigan's source text (its size in lines), which mutmut's rewritten copy changes: not run
IGNORED = ["tests/engine/test_size_budget.py"]

# --suite pytorch: the code the parity tests test, and the parity tests
PYTORCH_GROUPS = {
    "surface": sorted(str(p.relative_to(ROOT)) for p in (ROOT / "minigan/surface").glob("*.py")
                      if p.name not in ("__init__.py", "ops.py")),  # (ops.py: rows, at module level)
    "functional": sorted(str(p.relative_to(ROOT)) for p in (ROOT / "minigan/functional").glob("*.py")
                         if p.name != "__init__.py"),
    "modules": sorted(str(p.relative_to(ROOT)) for p in (ROOT / "minigan/nn").glob("*.py") if p.name != "__init__.py"),
}
PYTORCH_SAMPLE = {"surface": 40, "functional": 20, "modules": 20}  # 80 mutants in all
PYTORCH_TESTS = ["tests/pytorch"]
# tests that see mutmut's rewriting itself: a warning's stack level (one frame more) and every function's module
PYTORCH_DESELECTED = [
    "tests/pytorch/test_nn_surface_repr.py::test_softmax_modules_without_dim_pick_pytorchs_implicit_dim_and_warn",
    "tests/pytorch/test_right_by_class.py::test_no_integer_or_bool_result_requires_grad",
    "tests/pytorch/test_right_by_class.py::test_every_result_sharing_memory_is_a_registered_view",
    "tests/pytorch/test_right_by_class.py::test_no_result_is_a_view_of_a_temporary"]
ALSO_COPY = ["README.md", "docs", "benchmarks", "demos", "tools"]  # what tests/pytorch reads beside minigan/

# two bugs planted by hand (file, the line as it is, the line with the bug), each run against the engine wing alone
PLANTED = {
    "a 1% error in binary_cross_entropy_with_logits's gradient": (
        "minigan/engine/ops/loss.py", "        return (dx, -x * g if gt else None)\n",
        "        return (dx if dx is None else dx * 1.01, -x * g if gt else None)\n"),
    "batch norm's weight gradient off by a factor of σ": (
        "minigan/engine/ops/norm.py", "        dgamma = sum_dy_xhat.reshape(-1) if need[1] else None\n",
        "        dgamma = (sum_dy_xhat / inv_std).reshape(-1) if need[1] else None\n"),
}

STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests", 36: "timeout", -24: "timeout",
          24: "timeout", 152: "timeout", 255: "timeout", None: "not run"}


def prepare(work: Path, tests_from: str | None, tests: list[str], files: list[str], deselected: list[str] = (),
            also_copy: list[str] = ()) -> list[str]:
    """A fresh copy of minigan and its tests in ``work``, with mutmut's settings; returns the test paths kept."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "minigan", work / "minigan", ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", work / "pyproject.toml")
    if tests_from:  # the tests as they were at that commit
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", tests_from, "tests"], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(work)], input=archive, check=True)
    else:
        shutil.copytree(ROOT / "tests", work / "tests", ignore=ignore)
    for extra in also_copy:
        (shutil.copytree if (ROOT / extra).is_dir() else shutil.copy)(ROOT / extra, work / extra)
    kept = [t for t in tests if (work / t).exists()]
    (work / "setup.cfg").write_text(
        "[mutmut]\nsource_paths=minigan\n"
        + "only_mutate=\n" + "".join(f"    {f}\n" for f in files)
        + "pytest_add_cli_args_test_selection=\n" + "".join(f"    {t}\n" for t in kept)
        + "pytest_add_cli_args=\n    -p\n    no:randomly\n" + "".join(f"    --ignore={t}\n" for t in IGNORED)
        + "".join(f"    --deselect={t}\n" for t in deselected)
        + ("also_copy=\n" + "".join(f"    {e}\n" for e in also_copy) if also_copy else ""))
    return kept


def planted(work: Path, tests_from: str | None) -> int:
    """Plant each bug of PLANTED in a copy and run the engine wing on it (stopping at the first failure)."""
    missed = 0
    for bug, (path, line, wrong) in PLANTED.items():
        prepare(work, tests_from, [], [])
        source = (work / path).read_text()
        if line not in source:
            sys.exit(f"mutation: {path} no longer has the line to plant {bug!r} in; update PLANTED")
        (work / path).write_text(source.replace(line, wrong))
        run = subprocess.run([sys.executable, "-m", "pytest", "tests/engine", "-x", "-q", "-p", "no:randomly"],
                             cwd=work, capture_output=True, text=True)
        lines = run.stdout.splitlines()
        failed = [ln for ln in lines if ln.startswith("FAILED")]
        missed += not failed
        print(f"{bug}: {'caught by ' + failed[0].split()[1] if failed else 'NOT CAUGHT'} ({lines[-1].strip('= ')})",
              flush=True)
    return missed


def mutants_of(work: Path, files: list[str]) -> dict[str, list[str]]:
    """Every mutant's name, by file (from mutmut's records of the files it mutated)."""
    names = {}
    for f in files:
        meta = work / "mutants" / (f + ".meta")
        names[f] = sorted(json.loads(meta.read_text())["exit_code_by_key"]) if meta.exists() else []
    return names


def run_by_ids(work: Path, names: list[str], limit: float = 900) -> None:
    """Run each mutant against the tests that run its function, by their ids, and write the exit codes where
    mutmut keeps them.  (mutmut's own run hands every id to one pytest command line, and stops at an id a new
    collection does not find: tests/pytorch draws some ids from its cases, and a few of those differ between runs.)"""
    mutants = work / "mutants"
    env = dict(os.environ, PYTHONPATH=str(mutants))
    listed = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:randomly",
                             *PYTORCH_TESTS], cwd=mutants, env=env, capture_output=True, text=True).stdout
    collected = {line for line in listed.splitlines() if "::" in line}
    by_function = json.loads((mutants / "mutmut-stats.json").read_text())["tests_by_mangled_function_name"]
    codes: dict[str, dict[str, int | None]] = {}
    for name in names:
        ids = sorted(set(by_function.get(name.partition("__mutmut_")[0], ())) & collected)
        if not ids:
            code = 33  # no test runs the function
        else:
            (work / "ids.txt").write_text("\n".join(ids) + "\n")
            try:
                code = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:randomly", "-p",
                                       "no:cacheprovider", f"@{work / 'ids.txt'}"], cwd=mutants,
                                      env=dict(env, MUTANT_UNDER_TEST=name), capture_output=True,
                                      timeout=limit).returncode
            except subprocess.TimeoutExpired:
                code = 36
        print(f"    {STATUS.get(code, f'exit {code}'):9s} {name} ({len(ids)} tests)", flush=True)
        source = next(f for f in mutants.rglob("*.py.meta")
                      if name.startswith(str(f.relative_to(mutants))[:-len(".py.meta")].replace("/", ".") + "."))
        codes.setdefault(str(source), {})[name] = code
    for meta, found in codes.items():
        record = json.loads(Path(meta).read_text())
        record["exit_code_by_key"].update(found)
        Path(meta).write_text(json.dumps(record))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tests-from", help="run the tests of this commit (git rev), not the working tree's")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--sample", type=int, help="mutants per group (default: SAMPLE, 200 in all)")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "mutation")
    parser.add_argument("--jobs", type=int, default=1, help="mutants run at once (mutmut's --max-children)")
    parser.add_argument("--json", type=Path, help="write every sampled mutant's result here")
    parser.add_argument("--planted", action="store_true", help="run the bugs of PLANTED, not mutmut's sample")
    parser.add_argument("--suite", choices=("engine", "pytorch"), default="engine",
                        help="engine: GROUPS against TESTS; pytorch: PYTORCH_GROUPS against tests/pytorch")
    parser.add_argument("--rerun", type=Path, help="an earlier run's --json: run only the mutants it did not kill")
    parser.add_argument("--resume", action="store_true",
                        help="go on in the work folder of an interrupted run: its mutants and which tests run what")
    args = parser.parse_args(argv)
    if args.planted:
        return planted(args.work, args.tests_from)
    mutmut = [sys.executable, "-m", "mutmut"]
    pytorch = args.suite == "pytorch"
    groups, sizes, tests = (PYTORCH_GROUPS, PYTORCH_SAMPLE, PYTORCH_TESTS) if pytorch else (GROUPS, SAMPLE, TESTS)
    files = [f for group in groups.values() for f in group]
    resume = args.resume and (args.work / "mutants" / "mutmut-stats.json").exists()
    kept = [t for t in tests if (args.work / t).exists()] if resume else prepare(
        args.work, args.tests_from, tests, files, PYTORCH_DESELECTED if pytorch else (), ALSO_COPY if pytorch else ())
    print("tests:", " ".join(kept), flush=True)

    # 1. make every mutant and learn which tests run which function (mutmut's "stats" run); the name matches no
    # mutant, so mutmut stops there, its records written
    if not resume:
        subprocess.run(mutmut + ["run", "--max-children", str(args.jobs), "no.such.mutant"], cwd=args.work,
                       capture_output=True)
    by_file = mutants_of(args.work, files)
    if not any(by_file.values()):
        sys.exit("mutation: mutmut made no mutants (see build/mutation/mutants/)")

    # 2. the seeded sample, group by group
    rng, sample = random.Random(args.seed), {}
    for group, group_files in groups.items():
        pool = sorted(n for f in group_files for n in by_file[f])
        k = min(args.sample or sizes[group], len(pool))
        sample[group] = sorted(rng.sample(pool, k))
        print(f"{group}: {k} of {len(pool)} mutants", flush=True)
    earlier = {}
    if args.rerun:  # the earlier run's sample, and what it killed (kept as killed)
        while not args.rerun.exists():  # (that run may still be going: step 1 above overlaps its end)
            time.sleep(30)
        earlier = json.loads(args.rerun.read_text())["results"]
        sample = {group: sorted(status) for group, status in earlier.items()}
        print(f"rerun: {sum(s not in ('killed', 'timeout') for g in earlier.values() for s in g.values())} mutants "
              f"{args.rerun} did not kill", flush=True)

    # 3. run them
    start = time.time()
    names = [n for group, group_names in sample.items() for n in group_names
             if earlier.get(group, {}).get(n) not in ("killed", "timeout")]
    if pytorch:
        run_by_ids(args.work, names)
    else:
        subprocess.run(mutmut + ["run", "--max-children", str(args.jobs), *names], cwd=args.work,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.time() - start

    # 4. the score
    codes = {}
    for f in files:
        meta = args.work / "mutants" / (f + ".meta")
        if meta.exists():
            codes.update(json.loads(meta.read_text())["exit_code_by_key"])
    results, total_killed, total = {}, 0, 0
    for group, group_names in sample.items():
        status = {n: earlier[group][n] if earlier.get(group, {}).get(n) in ("killed", "timeout") else
                  STATUS.get(codes.get(n), f"exit {codes.get(n)}") for n in group_names}
        killed = sum(s in ("killed", "timeout") for s in status.values())
        total_killed, total = total_killed + killed, total + len(status)
        results[group] = status
        print(f"{group:12s} {killed:4d} / {len(status):3d} killed ({100 * killed / max(len(status), 1):.0f}%)")
        for n, s in sorted(status.items()):
            if s not in ("killed", "timeout"):
                print(f"    {s:9s} {n}")
    print(f"{'all':12s} {total_killed:4d} / {total:3d} killed ({100 * total_killed / max(total, 1):.0f}%), "
          f"seed {args.seed}, {elapsed:.0f} s")
    print("(see a mutant: cd build/mutation && python -m mutmut show NAME)")
    if args.json:
        args.json.write_text(json.dumps({"seed": args.seed, "tests": kept, "tests_from": args.tests_from,
                                         "rerun": str(args.rerun) if args.rerun else None, "results": results},
                                        indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
