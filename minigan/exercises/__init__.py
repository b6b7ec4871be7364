"""Exercises: build minigan yourself, graded by the property checks that check minigan.

``catalogue.py`` lists the exercises (which function of the library each one is), ``workspace.py``
makes a copy of minigan with those bodies stubbed, ``grader.py`` grades a copy in a fresh process
(``worker.py`` running ``checks.py``), and ``cli.py`` is the command line.
"""
