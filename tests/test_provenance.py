"""Every claim says where its statement comes from (issue 13, item 1)."""
import pytest

from proofs_check import claims

# MATH.md section 7 recovers a statement for these ids: the claim must BE that statement (source: the summary)
RECOVERED = ("lemB.1", "thm2.1", "thm3.1", "thm3.2", "thm3.4", "thm3.5", "cor3.6", "lemD.3", "thm3.7", "fig1")


def test_every_claim_has_a_known_source():
    for cid, c in claims.registry().items():
        assert c.provenance.kind in claims.SOURCES, cid
        assert c.provenance.where, cid
        assert c.statement.strip(), cid


@pytest.mark.parametrize("cid", RECOVERED)
def test_recovered_statements_come_from_the_summary(cid):
    p = claims.get(cid).provenance
    assert p.kind == claims.SECONDARY and "Paper-Notes-en" in p.where
    # no step size was recovered for any theorem: each dynamic claim says what it assumed
    if cid not in ("lemB.1", "thm3.1"):
        assert p.assumed, f"{cid} must say which unrecovered values (step size, ...) the suite used"


def test_open_questions_name_their_source():
    open_qs = [c for c in claims.registry().values() if c.status == claims.OPEN_QUESTION]
    for c in open_qs:
        assert c.provenance.kind in (claims.REVIEWS, claims.SECONDARY, claims.PAPER_TEXT), c.id
    assert all(not c.status == claims.OPEN_QUESTION or c.check for c in claims.registry().values())


def test_provenance_text():
    p = claims.secondary(assumed="eta = 1/4")
    assert p.text().startswith("secondary summary: github.com/zhaoyang97/Paper-Notes-en")
    assert p.text().endswith("; assumed: eta = 1/4")
    assert claims.reconstruction().text().startswith("suite reconstruction: MATH.md sections 1-6")
    with pytest.raises(ValueError):
        claims.Provenance("rumour")
