"""A GitHub Classroom set-up for a workspace (``exercises start DIR --classroom``).

Two files, the two ways GitHub Classroom grades a repository: ``.github/workflows/classroom.yml``, a
workflow with one ``classroom-resources/autograding-command-grader`` step per exercise (the exercise's
points as its ``max-score``) and the ``autograding-grading-reporter`` step that sends the points to the
classroom; and ``.github/classroom/autograding.json``, the same tests in the format of the older
``education/autograding`` action.  Each test runs ``python -P -m minigan exercises check . NAME`` with the
full minigan installed from ``MINIGAN`` (``-P``: the workspace folder does not shadow it).
"""

from __future__ import annotations

import json

from minigan import __version__
from minigan.exercises.catalogue import EXERCISES

WORKFLOW = ".github/workflows/classroom.yml"
AUTOGRADING = ".github/classroom/autograding.json"
MINUTES = 2  # each test's time limit in the workflow (the checks of one exercise take seconds)


def _check_command(name) -> str:
    return f"python -P -m minigan exercises check . {name}"


def workflow() -> str:
    lines = ["# Grades each exercise with the full minigan (not this workspace's copy) and reports the points",
             "# to GitHub Classroom.  Written by `python -m minigan exercises start DIR --classroom`.",
             "name: Autograding Tests",
             "'on':", "  - push", "  - repository_dispatch", "  - workflow_dispatch",
             "permissions:", "  checks: write", "  actions: read", "  contents: read",
             "env:",
             "  # where the grader comes from: the minigan your course uses (a version, a git URL, a wheel)",
             f'  MINIGAN: "minigan=={__version__}"',
             "jobs:", "  run-autograding-tests:", "    runs-on: ubuntu-latest",
             "    if: github.actor != 'github-classroom[bot]'", "    steps:",
             "      - name: Checkout code", "        uses: actions/checkout@v4",
             "      - uses: actions/setup-python@v5", "        with:", "          python-version: '3.11'",
             "      - name: Install the grader", '        run: python -m pip install "$MINIGAN"']
    for ex in EXERCISES:
        step = ex.name.replace("_", "-")
        lines += [f"      - name: {ex.name}", f"        id: {step}",
                  "        uses: classroom-resources/autograding-command-grader@v1", "        with:",
                  f"          test-name: {ex.name}", f"          command: {_check_command(ex.name)}",
                  f"          timeout: {MINUTES}", f"          max-score: {ex.points}"]
    lines += ["      - name: Autograding Reporter", "        uses: classroom-resources/autograding-grading-reporter@v1",
              "        env:"]
    for ex in EXERCISES:
        step = ex.name.replace("_", "-")
        lines.append(f'          {step.upper()}_RESULTS: "${{{{steps.{step}.outputs.result}}}}"')
    lines += ["        with:", f"          runners: {','.join(ex.name.replace('_', '-') for ex in EXERCISES)}"]
    return "\n".join(lines) + "\n"


def autograding() -> str:
    tests = [{"name": ex.name, "setup": "", "run": _check_command(ex.name), "input": "", "output": "",
              "comparison": "included", "timeout": MINUTES, "points": ex.points} for ex in EXERCISES]
    return json.dumps({"tests": tests}, indent=2) + "\n"


FILES = {WORKFLOW: workflow, AUTOGRADING: autograding}
