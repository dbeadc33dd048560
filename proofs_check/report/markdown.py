"""report.md: the section records of :mod:`.sections` in Markdown (the template ``templates/report.md.j2``)."""
from __future__ import annotations

from . import templating
from .sections import LOST_NOTE

LEGEND = ("Statuses (MATH.md 5): EXACT = the statement is fully known; RECONSTRUCTED = the qualitative "
          "statement is known, its constants were lost and are measured, not invented; LOST = only the "
          "role of the statement is known. Verdicts: PASS, FAIL, INCONCLUSIVE (precision or time not "
          "enough to decide; never PASS), MEASURED (nothing could have made the check FAIL: numbers, not a "
          "confirmation; never counted as PASS), NOT CHECKED (LOST statements).")


def render(records) -> str:
    """report.md from the section records."""
    return templating.render("report.md.j2", records, legend=LEGEND, lost_note=LOST_NOTE)
