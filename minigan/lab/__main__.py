"""``python -m minigan.lab``: the lab on its own (``python -m minigan lab`` is the same command)."""

import sys

from minigan.lab.cli import main

sys.exit(main())
