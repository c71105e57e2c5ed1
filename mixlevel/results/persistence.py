"""Persistence: pickling, :meth:`save`, and :meth:`remove_data`."""

from __future__ import annotations

__all__ = ["PersistenceMixin"]


class PersistenceMixin:
    """What a result keeps when pickled, saved or stripped of its data."""

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_prior_engine_obj", None)  # engines are rebuilt on demand
        return state

    def _precompute(self):
        """Compute and keep everything the summary and the exports read."""
        self.summary(probabilities=True)
        self.to_dict()
        if self.model.engine is not None and self.model.engine.dims_b:
            self.random_effects()

    def remove_data(self):
        """Drop the data (and data-sized arrays) from the results and the model.

        Everything the summary, :attr:`profiles`, the class tables and the
        exports need is computed first and kept, so those still work (and
        :meth:`predict` with ``newdata``); posterior probabilities per row, a
        new E-step or a refit are no longer possible.
        """
        self._precompute()
        super().remove_data()
        self._estep = None
        self.__dict__.pop("_prior_engine_obj", None)
        store = self.__dict__.get("_store", {})
        store.pop("joint_sorted", None)
        m = self.model
        d = m.design
        for att in ("y", "trials", "const", "row_weight", "order", "index"):
            setattr(d, att, None)
        d.columns = {}
        m.engine = None
        m.data.frame = None
