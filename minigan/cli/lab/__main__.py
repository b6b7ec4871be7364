"""``python -m minigan.cli.lab``: the lab on its own (``python -m minigan lab`` is the same command)."""

import sys

from minigan.cli.lab.cli import main

sys.exit(main())
