"""Did involvement help? The 2×2 table maths of the aim analysis, in pure Python.

Standard library only (no Django, no scipy). For projects that ended with an outcome recorded:

                     aim reached   not reached   total
    exposed (Big I)       a          n1 − a        n1
    unexposed (none)      c          n0 − c        n0

* risk ratio RR = (a/n1) / (c/n0), 95% CI exp(ln RR ± 1.96·√(1/a − 1/n1 + 1/c − 1/n0));
* odds ratio OR = a(n0 − c) / (c(n1 − a)), 95% CI by Woolf's method,
  exp(ln OR ± 1.96·√(1/a + 1/(n1 − a) + 1/c + 1/(n0 − c)));
* Fisher's exact two-sided p-value, as R's ``fisher.test``: the sum of the hypergeometric
  probabilities of every table with the same margins that is no more likely than the observed one
  (with R's relative tolerance ``1 + 1e-7``), summed exactly with integers.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from fractions import Fraction

Z_95 = 1.96
# R's fisher.test: relErr <- 1 + 10^(-7), so tables as likely as the observed one within rounding
# count as "no more likely".
_RELATIVE_TOLERANCE = Fraction(10**7 + 1, 10**7)


@dataclass(frozen=True)
class Comparison:
    exposed_successes: int  # a
    exposed_total: int  # n1
    unexposed_successes: int  # c
    unexposed_total: int  # n0
    rr: float | None
    rr_low: float | None
    rr_high: float | None
    or_: float | None
    or_low: float | None
    or_high: float | None
    p_value: float | None  # None only when a group is empty
    reason_no_ratio: str | None  # why a ratio is None, in plain words; None when both are given


def compare(a: int, n1: int, c: int, n0: int, *, min_group: int = 5) -> Comparison:
    """Risk ratio, odds ratio (each with a 95% CI) and Fisher's exact p for a 2×2 table.

    ``a`` of ``n1`` exposed and ``c`` of ``n0`` unexposed projects reached their aim. A ratio is
    None, with the reason, when a group has fewer than ``min_group`` projects, or when a count of
    zero leaves it undefined: the risk ratio needs a > 0 and c > 0; the odds ratio needs all four
    cells above zero.
    """
    for name, value in (("a", a), ("n1", n1), ("c", c), ("n0", n0)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name} must be a whole number, 0 or more, not {value!r}")
    if a > n1 or c > n0:
        raise ValueError("the successes in a group cannot outnumber the group")

    p_value = fisher_exact(a, n1 - a, c, n0 - c) if n1 and n0 else None
    rr = rr_low = rr_high = or_ = or_low = or_high = None
    reason = None
    if n1 < min_group or n0 < min_group:
        reason = (
            f"Too few projects to compare: {n1} and {n0} in the two groups "
            f"(at least {min_group} in each are needed)."
        )
    elif a == 0 or c == 0:
        reason = "No project in one of the groups reached its aim, so no ratio can be estimated."
    else:
        rr, rr_low, rr_high = _ratio_with_ci(
            (a / n1) / (c / n0), math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n0)
        )
        b, d = n1 - a, n0 - c
        if b == 0 or d == 0:
            reason = (
                "Every project in one group reached its aim, so the odds ratio cannot be estimated."
            )
        else:
            or_, or_low, or_high = _ratio_with_ci(
                (a * d) / (b * c), math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
            )
    return Comparison(
        exposed_successes=a,
        exposed_total=n1,
        unexposed_successes=c,
        unexposed_total=n0,
        rr=rr,
        rr_low=rr_low,
        rr_high=rr_high,
        or_=or_,
        or_low=or_low,
        or_high=or_high,
        p_value=p_value,
        reason_no_ratio=reason,
    )


def _ratio_with_ci(ratio: float, standard_error: float) -> tuple[float, float, float]:
    log_ratio = math.log(ratio)
    return (
        ratio,
        math.exp(log_ratio - Z_95 * standard_error),
        math.exp(log_ratio + Z_95 * standard_error),
    )


@functools.lru_cache(maxsize=512)
def fisher_exact(a: int, b: int, c: int, d: int) -> float:
    """Two-sided p-value of Fisher's exact test for the table [[a, b], [c, d]], as R computes it.

    With the margins fixed, the top-left cell k follows a hypergeometric distribution whose
    probabilities are proportional to C(a + b, k)·C(c + d, a + c − k); the p-value sums those no
    greater than the observed one's (times R's 1 + 1e-7). The sums are exact integers.

    Exact sums over thousands of projects take a few hundred milliseconds, and the aim page asks
    for the same four counts until a project's outcome changes: the answer is kept per process.
    """
    row1, row2, col1 = a + b, c + d, a + c
    low, high = max(0, col1 - row2), min(row1, col1)
    weights = [math.comb(row1, k) * math.comb(row2, col1 - k) for k in range(low, high + 1)]
    observed = weights[a - low] * _RELATIVE_TOLERANCE
    as_extreme = sum(w for w in weights if w <= observed)
    return min(1.0, float(Fraction(as_extreme, sum(weights))))
