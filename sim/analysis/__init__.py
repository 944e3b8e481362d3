"""Analysis: outcomes, statistics, the reality check, the claims suite, output files and figures.

Imports the engine and configuration; never the CLI or the UI.
"""
