"""The ``partysim`` command line (also ``python -m sim``): ``sim.cli.main`` and its commands."""
