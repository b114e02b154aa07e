"""The command bodies of ``kiemtra``, by group; ``cli.py`` is the entry point that joins them.

Each command parses its options, calls the library and prints through ``scheduler.output.console``.
"""
