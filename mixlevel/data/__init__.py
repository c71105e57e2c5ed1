"""The data layer: design arrays sorted by cluster, and the rows a model uses."""

from .design import Design, build_design

__all__ = ["Design", "build_design"]
