"""``python -m minigan.exercises {list,start,check}``."""

import sys

from minigan.exercises.cli import main

sys.exit(main())
