"""``python -m minigan.bench``: speed and memory beside PyTorch (the harness is ``minigan/cli/bench/``)."""

import sys

from minigan.cli.bench import main

if __name__ == "__main__":
    sys.exit(main())
