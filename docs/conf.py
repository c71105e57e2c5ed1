"""Sphinx configuration for mixlevel (built by `make docs` after installing)."""

import mixlevel

project = "mixlevel"
author = "mixlevel developers"
copyright = "mixlevel developers"
version = mixlevel.__version__
release = mixlevel.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
]

# No intersphinx: the docs build must not need the network.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
autosummary_generate = True

templates_path = []
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]

html_theme = "alabaster"
html_static_path = []
