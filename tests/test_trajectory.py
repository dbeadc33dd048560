"""trajectory.final_outcome (Theorem 3.5's outcome test): compared in the number type given."""
import mpmath
import numpy as np

from proofs_check.numbers import working
from proofs_check.trajectory import final_outcome


def test_mpf_recession_below_float_spacing_is_seen():
    with working(60):
        start = [mpmath.mpf("0.9"), mpmath.mpf(1000), mpmath.mpf(1001)]
        end = [mpmath.mpf("0.01"), mpmath.mpf(1000) + mpmath.mpf("1e-43"), mpmath.mpf(1001) + mpmath.mpf("1e-40")]
        fo = final_outcome(start, end)
        assert float(end[1]) == float(start[1])          # float64 could not see it
        assert fo.receded == (1, 2) and fo.one_converges and fo.survivor_is_closest
        # an approach of 1e-43 is an approach, not a recession
        fo2 = final_outcome(start, [end[0], mpmath.mpf(1000) - mpmath.mpf("1e-43"), end[2]])
        assert fo2.receded == (2,) and not fo2.one_converges
        # display fields stay floats
        assert all(isinstance(x, float) for x in fo.start + fo.end)


def test_float_input_unchanged():
    fo = final_outcome([4.1, 4.0, 4.5], [5.0, 0.01, 6.0])
    assert fo.near == (1,) and fo.receded == (0, 2) and fo.closest == 1 and fo.one_converges
    assert final_outcome([4.1, 4.0, 4.5], [4.1, 0.01, 6.0]).receded == (2,)
    npfo = final_outcome(np.array([1.0, 1000.0]), np.array([0.25, 1000.0]))
    assert npfo.near == (0,) and npfo.receded == () and npfo.start == (1.0, 1000.0)
    assert final_outcome([1.0, 2.0], [0.25, 0.2]).all_converge
