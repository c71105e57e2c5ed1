"""mixlevel: multilevel mixture models (Asparouhov & Muthen) for Python."""

__version__ = "0.1.0.dev0"
