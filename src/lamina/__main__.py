"""``python -m lamina``: the command line."""

import sys

from lamina.cli.__main__ import main

sys.exit(main())
