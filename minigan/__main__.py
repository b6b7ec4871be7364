"""``python -m minigan COMMAND ...``: the command line (``minigan/cli/``)."""

import sys

from minigan.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
