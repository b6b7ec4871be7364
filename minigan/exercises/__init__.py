"""Exercises: build minigan yourself, graded by the property checks that check minigan.

``catalogue.py`` lists the exercises (which function of the library each one is, and its points),
``workspace.py`` makes a copy of minigan with those bodies stubbed, ``grader.py`` grades a copy: the learner's
process (``runner.py`` under ``supervise.py``) runs the ``checks/`` package (one module per exercise set) and
hands back values, which the grader compares
with the library's own; ``gradebook.py`` grades a class into gradebooks,
``classroom.py`` writes a GitHub Classroom set-up, ``measure.py`` runs "predict, then measure" on a copy
(through ``worker.py``),
and ``minigan/cli/exercises.py`` is the command line.
"""
