"""`python -m editor` runs the same entry point as `article-editor`."""

import sys

from editor.cli import main

sys.exit(main())
