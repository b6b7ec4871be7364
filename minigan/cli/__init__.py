"""The command line: ``python -m minigan train | sample | fgsm | attack`` and ``python -m minigan.bench``.

The product wing of the house, apart from the teaching rooms: argument parsing, run folders (one run
at a time, fresh / --resume / --force, results renamed into place), progress bars, signals, caches
of trained models and the tables printed at the end of a run. It drives the library
(``minigan.gans``, ``minigan.attacks``, ``minigan.viz``); nothing in the library imports it.

    main.py       the dispatcher: COMMANDS, --threads, one-line errors with exit code 2
    runfolder.py  the --out folder: lock, fresh/resume/force, staged writes that never follow a link
    train.py      python -m minigan train ALGORITHM --data ... (GANs, checkpoints, --resume)
    sample.py     python -m minigan sample RUN: draw from a trained run's checkpoint
    attack.py     python -m minigan fgsm / attack: adversarial examples and the robustness table
    summary.py    the end-of-run tables: each number, what it measures, its reference value
    bench.py      python -m minigan.bench: speed and memory beside PyTorch
"""
