"""The aim analysis maths (charts/stats.py): risk ratio, odds ratio and Fisher's exact test."""

from __future__ import annotations

import math

import pytest

from charts.stats import compare, fisher_exact


def test_fisher_exact_matches_r_for_a_small_table():
    # R: fisher.test(matrix(c(3, 1, 1, 3), 2))$p.value = 0.4857.
    # By hand: margins 4/4, 4 successes; weights C(4,k)·C(4,4−k) = 1, 16, 36, 16, 1 (sum 70);
    # observed k = 3 has 16, and 1 + 16 + 16 + 1 = 34 are no greater: 34/70.
    assert fisher_exact(3, 1, 1, 3) == pytest.approx(34 / 70)
    assert fisher_exact(3, 1, 1, 3) == pytest.approx(0.4857, abs=1e-4)


def test_fisher_exact_matches_r_for_the_dieting_example():
    # R: fisher.test(matrix(c(1, 11, 9, 3), 2))$p.value = 0.002759 (rows: 1, 9 and 11, 3).
    assert fisher_exact(1, 9, 11, 3) == pytest.approx(0.002759, abs=1e-6)


def test_fisher_exact_sums_both_tails_of_a_symmetric_table():
    # [[20, 10], [10, 20]]: margins 30/30, 30 successes, so the p-value is twice the upper tail
    # P(X ≥ 20) = Σ_{k=20..30} C(30, k)·C(30, 30 − k) / C(60, 30).
    upper = sum(math.comb(30, k) * math.comb(30, 30 - k) for k in range(20, 31))
    assert fisher_exact(20, 10, 10, 20) == pytest.approx(2 * upper / math.comb(60, 30))
    assert fisher_exact(20, 10, 10, 20) == pytest.approx(0.01938, abs=1e-5)


def test_fisher_exact_with_an_empty_cell():
    # [[10, 0], [5, 5]]: margins 10/10, 15 successes, so k runs from 5 to 10 with weights
    # C(10, k)·C(10, 15 − k) = 252·1, 210·10, 120·45, 45·120, 10·210, 1·252.
    weights = [math.comb(10, k) * math.comb(10, 15 - k) for k in range(5, 11)]
    assert weights == [252, 2100, 5400, 5400, 2100, 252]
    # Observed k = 10 (weight 252): the two tables of weight 252 → 504 / 15504 (= C(20, 15)).
    assert sum(weights) == math.comb(20, 15) == 15504
    assert fisher_exact(10, 0, 5, 5) == pytest.approx(504 / 15504)  # R: 0.03251
    assert fisher_exact(10, 0, 5, 5) == pytest.approx(0.03251, abs=1e-5)


def test_fisher_exact_is_one_for_a_table_at_its_expectation():
    assert fisher_exact(5, 5, 5, 5) == 1.0


def test_risk_and_odds_ratios_match_hand_worked_values():
    result = compare(20, 30, 10, 30)
    # RR = (20/30) / (10/30) = 2; SE(ln RR) = √(1/20 − 1/30 + 1/10 − 1/30) = √(1/12) = 0.288675
    se_rr = math.sqrt(1 / 20 - 1 / 30 + 1 / 10 - 1 / 30)
    assert result.rr == pytest.approx(2.0)
    assert result.rr_low == pytest.approx(2 * math.exp(-1.96 * se_rr))
    assert result.rr_high == pytest.approx(2 * math.exp(1.96 * se_rr))
    assert (result.rr_low, result.rr_high) == pytest.approx((1.1358, 3.5217), abs=1e-4)
    # OR = (20 × 20) / (10 × 10) = 4; Woolf SE = √(1/20 + 1/10 + 1/10 + 1/20) = √0.3 = 0.547723
    assert result.or_ == pytest.approx(4.0)
    assert (result.or_low, result.or_high) == pytest.approx(
        (4 * math.exp(-1.96 * math.sqrt(0.3)), 4 * math.exp(1.96 * math.sqrt(0.3)))
    )
    assert (result.or_low, result.or_high) == pytest.approx((1.3672, 11.7028), abs=1e-4)
    assert result.p_value == pytest.approx(0.01938, abs=1e-5)
    assert result.reason_no_ratio is None
    assert (result.exposed_successes, result.exposed_total) == (20, 30)
    assert (result.unexposed_successes, result.unexposed_total) == (10, 30)


def test_too_few_projects_in_a_group_gives_a_reason_instead_of_ratios():
    result = compare(3, 4, 1, 4)
    assert (result.rr, result.rr_low, result.rr_high) == (None, None, None)
    assert (result.or_, result.or_low, result.or_high) == (None, None, None)
    assert result.reason_no_ratio == (
        "Too few projects to compare: 4 and 4 in the two groups (at least 5 in each are needed)."
    )
    assert result.p_value == pytest.approx(34 / 70)  # the exact test still applies


def test_the_minimum_group_size_can_be_changed():
    result = compare(3, 4, 1, 4, min_group=4)
    assert result.rr == pytest.approx(3.0)  # (3/4) / (1/4)
    assert result.or_ == pytest.approx(9.0)  # (3 × 3) / (1 × 1)


def test_no_successes_in_a_group_leaves_both_ratios_undefined():
    result = compare(0, 10, 5, 10)
    assert result.rr is None and result.or_ is None
    assert "No project in one of the groups reached its aim" in result.reason_no_ratio
    assert result.p_value == pytest.approx(504 / 15504)


def test_every_project_succeeding_in_a_group_leaves_only_the_odds_ratio_undefined():
    result = compare(10, 10, 5, 10)
    # RR = 1 / 0.5 = 2; SE = √(1/10 − 1/10 + 1/5 − 1/10) = √0.1
    assert result.rr == pytest.approx(2.0)
    assert result.rr_high == pytest.approx(2 * math.exp(1.96 * math.sqrt(0.1)))
    assert result.or_ is None
    assert "odds ratio cannot be estimated" in result.reason_no_ratio


def test_an_empty_group_has_no_p_value():
    result = compare(0, 0, 3, 10)
    assert result.p_value is None
    assert result.rr is None


@pytest.mark.parametrize(("a", "n1", "c", "n0"), [(6, 5, 1, 5), (1, 5, 6, 5), (-1, 5, 1, 5)])
def test_impossible_counts_are_an_error(a, n1, c, n0):
    with pytest.raises(ValueError):
        compare(a, n1, c, n0)
