"""slca 1.4.0: the 5-status latent transition model of Add Health with measurement invariance.

Data: tests/data/addhealth.csv (2061 adolescents, eight binary depression items at waves I
and II, 1 = yes, 2 = no, 255 rows missing all wave-II items; slca uses every row, FIML).
Model: the slca documentation's ``lta5inv``: five statuses at each wave, the same item
probabilities at both waves (``constraints = c("DEP1", "DEP2")``), a free 5 x 5 transition
matrix.  64 free parameters.

``invariant``:

* ``loglike``: log-likelihood (no data constants for binary items);
* ``params["initial"]``: P(DEP1 = k), k = 1..5 in slca's class order;
* ``params["transition"]``: rows k (wave I class), columns l (wave II class),
  P(DEP2 = l | DEP1 = k) (slca prints the transpose, ``TAU``);
* ``params["yes"]``: item -> P(item = yes | class k), k = 1..5 (slca's ``RHO``, response 1).

Software: slca 1.4.0 (R 4.2.2), ``estimate(m_inv, d, control = slcaControl(em.tol = 1e-10,
em.iterlim = 100000, nrep = 30))`` with ``set.seed(1)`` and ``set.seed(2)``: both reached
-14534.648189 (the values below are seed 2's; each took about 5 minutes).  Generator:
tests/results/scripts/lta_addhealth_slca_check.R.  Cross-check: mixlevel's ``ml.lta`` from
its default starts reaches -14534.648189 too; ``ml.mixture`` with the same formula and
constraints from its random starts stopped at -14674.865.  Date: 2026-12-03.  The
peer-references branch computes the same model with more seeds (and without invariance);
when its module lands, this one can go.
"""

invariant = {
    "loglike": -14534.648189,
    "df": 64,
    "nobs": 2061,
    "n_clusters": None,
    "params": {
        "initial": [0.1128, 0.1106, 0.3632, 0.1826, 0.2307],
        "transition": [
            [0.3595, 0.1081, 0.0325, 0.1650, 0.3350],
            [0.1408, 0.5911, 0.0808, 0.0297, 0.1576],
            [0.0206, 0.0152, 0.7543, 0.0857, 0.1242],
            [0.1716, 0.0569, 0.2499, 0.4739, 0.0478],
            [0.0679, 0.0444, 0.3024, 0.0412, 0.5442],
        ],
        "yes": {
            "S1": [0.6930, 0.8118, 0.0342, 0.1184, 0.5150],
            "S2": [0.8401, 0.9393, 0.0568, 0.1826, 0.6799],
            "S3": [0.8385, 0.8472, 0.0640, 0.2704, 0.5458],
            "S4": [0.9198, 0.9423, 0.1067, 0.3407, 0.7948],
            "D1": [0.7641, 0.6491, 0.0912, 0.6809, 0.1603],
            "D2": [0.8827, 0.7926, 0.0271, 0.6705, 0.1253],
            "F1": [0.1260, 0.8885, 0.0136, 0.0767, 0.1297],
            "F2": [0.0576, 0.6961, 0.0034, 0.0475, 0.0554],
        },
    },
    "bse": None,
    "software": "slca 1.4.0 (R 4.2.2)",
    "call": ('slca(DEP1(5) ~ S1w1 + ... + F2w1, DEP2(5) ~ S1w2 + ... + F2w2, DEP1 ~ DEP2, '
             'constraints = c("DEP1", "DEP2")) |> estimate(d, control = slcaControl('
             'em.tol = 1e-10, em.iterlim = 100000, nrep = 30))'),
}
