"""``python -m sim`` is the ``partysim`` command."""

import sys

from sim.cli import main

sys.exit(main())
