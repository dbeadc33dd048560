"""LOST statements: their text did not survive extraction (MATH.md 5).

They are registered so the report lists them, with the role they play in the
paper's proofs, instead of silently leaving them out.  Nothing is checked.
"""
from __future__ import annotations

from . import lost

lost("lemB.2", "Lemma B.2 (Lemma 18 of Xu et al. 2024)",
     "A Gaussian tail bound quoted from prior work (xu2024toward, Lemma 18), with a constant whose "
     "condition was lost. Used in the proof of Lemma B.3 (local smoothness) and in case 2 of Lemma C.2.")
lost("lemB.3", "Lemma B.3",
     "Local smoothness of the loss: under a small perturbation of the parameters, each per-parameter "
     "gradient changes by a bounded amount. The step that makes the induction of Theorem 2.1 "
     "(loss decrease per gradient step, large noise) work.")
lost("lemC.x", "Lemmas C.1, C.5, C.6, C.8-C.15",
     "Appendix C's preliminary Lemma C.1 (one parameter near the truth, the others far: the near one "
     "converges, the far ones drift away, with a loss rate) and the softmax-weight and gradient bounds "
     "behind it. They finish the proofs of Theorems 3.5 and 3.7. (Lemmas C.2-C.4 and C.7 are checked "
     "as lemC.2 and lemC.7.)")
lost("lemD.4", "Lemma D.4",
     "Appendix D.3: under Theorem 3.5's two conditions (one parameter closest to the truth by a margin), "
     "one gradient step moves that parameter towards the truth and keeps the others away. It drives the "
     "first phase of Theorems 3.5 and 3.7, before Lemma C.1 takes over.")
