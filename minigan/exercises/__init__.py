"""Exercises: build minigan yourself, graded by the property checks that check minigan.

``catalogue.py`` lists the exercises (which function of the library each one is, and its points),
``workspace.py`` makes a copy of minigan with those bodies stubbed, ``grader.py`` grades a copy in fresh
processes (``worker.py`` running ``checks.py``), ``gradebook.py`` grades a class into a gradebook,
``classroom.py`` writes a GitHub Classroom set-up, ``measure.py`` runs "predict, then measure" on a copy,
and ``minigan/cli/exercises.py`` is the command line.
"""
