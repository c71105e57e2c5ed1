"""Plots of fitted models (matplotlib, imported only when a plot is made)."""
