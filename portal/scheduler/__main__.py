"""Entry point for `python -m portal.scheduler`."""

import sys

from .cli import main

sys.exit(main())
