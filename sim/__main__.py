"""``python -m sim`` is the ``partysim`` command."""

import sys

from sim.cli.main import main

sys.exit(main())
