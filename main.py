"""Start Article Editor from a checkout: `python main.py [FILE]` or `python main.py SUBCOMMAND ...`."""

import sys

from editor.cli import main

if __name__ == "__main__":
    sys.exit(main())
