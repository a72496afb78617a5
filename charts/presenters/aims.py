"""The aim analysis in words and numbers, for the page and the ``aim_analysis`` command alike."""

from __future__ import annotations

from dataclasses import dataclass

from charts import stats
from charts.presenters.pchart import percent_text
from charts.selectors import SUCCESS_AIM, AimCounts
from projects.models import Level

LEVEL_WORDS = {
    Level.BIG_I: "Big I",
    Level.LITTLE_I: "little i only",
    Level.NONE: "No involvement",
}


@dataclass(frozen=True)
class AimGroup:
    level: int
    label: str
    total: int
    reached: int

    @property
    def proportion(self) -> float | None:
        return self.reached / self.total if self.total else None

    @property
    def percent(self) -> str:
        return percent_text(self.proportion)


@dataclass(frozen=True)
class AimComparison:
    key: str  # "big_i" or "any"
    exposed: str  # "Big I", "Big I or little i"
    comparison: stats.Comparison
    sentence: str  # the risk ratio in words, or why no ratio is shown
    or_sentence: str | None

    def as_dict(self) -> dict:
        c = self.comparison
        return {
            "exposed": self.exposed,
            "unexposed": "No involvement",
            "exposed_reached": c.exposed_successes,
            "exposed_total": c.exposed_total,
            "unexposed_reached": c.unexposed_successes,
            "unexposed_total": c.unexposed_total,
            "risk_ratio": c.rr,
            "risk_ratio_ci": [c.rr_low, c.rr_high] if c.rr is not None else None,
            "odds_ratio": c.or_,
            "odds_ratio_ci": [c.or_low, c.or_high] if c.or_ is not None else None,
            "fisher_p": c.p_value,
            "reason_no_ratio": c.reason_no_ratio,
            "sentence": self.sentence,
            "odds_ratio_sentence": self.or_sentence,
        }


@dataclass(frozen=True)
class AimReport:
    success: str
    success_text: str  # "reached their aim"
    groups: tuple[AimGroup, ...]  # Big I, little i only, none
    comparisons: tuple[AimComparison, ...]
    left_out: int
    total: int

    def as_dict(self) -> dict:
        return {
            "success": self.success,
            "success_text": self.success_text,
            "projects": self.total,
            "left_out_without_progress_score": self.left_out,
            "groups": [
                {
                    "level": LEVEL_WORDS[g.level],
                    "projects": g.total,
                    "reached": g.reached,
                    "proportion": g.proportion,
                }
                for g in self.groups
            ],
            "comparisons": {c.key: c.as_dict() for c in self.comparisons},
        }


SUCCESS_TEXT = {
    SUCCESS_AIM: ("reached their aim", "reach their aim"),
    "progress": (
        "ended with a progress score of 4.0 or more",
        "end with a progress score of 4.0 or more",
    ),
}


def _times(value: float) -> str:
    return f"{value:.1f}" if value < 10 else f"{value:.0f}"


def aim_report(counts: AimCounts) -> AimReport:
    """The aim analysis from the counts: proportions, the two comparisons with no involvement,
    and the sentences (the seed's "projects with Big I were 2.78 times more likely …")."""
    by = counts.by_level
    groups = tuple(
        AimGroup(level, LEVEL_WORDS[level], by[level].total, by[level].reached)
        for level in (Level.BIG_I, Level.LITTLE_I, Level.NONE)
    )
    none = by[Level.NONE]
    past, infinitive = SUCCESS_TEXT[counts.success]
    comparisons = []
    for key, exposed, reached, total in (
        ("big_i", "Big I", by[Level.BIG_I].reached, by[Level.BIG_I].total),
        (
            "any",
            "Big I or little i",
            by[Level.BIG_I].reached + by[Level.LITTLE_I].reached,
            by[Level.BIG_I].total + by[Level.LITTLE_I].total,
        ),
    ):
        comparison = stats.compare(reached, total, none.reached, none.total)
        if comparison.rr is not None:
            sentence = (
                f"Projects with {exposed} were {_times(comparison.rr)} times as likely to "
                f"{infinitive} as projects with no involvement (risk ratio "
                f"{comparison.rr:.2f}, 95% confidence interval {comparison.rr_low:.2f} to "
                f"{comparison.rr_high:.2f})."
            )
        else:
            sentence = f"No risk ratio for {exposed}: {comparison.reason_no_ratio}"
        or_sentence = None
        if comparison.or_ is not None:
            or_sentence = (
                f"Odds ratio for {exposed} against no involvement: {comparison.or_:.2f} (95% "
                f"confidence interval {comparison.or_low:.2f} to {comparison.or_high:.2f})."
            )
        elif comparison.rr is not None:
            or_sentence = f"No odds ratio for {exposed}: {comparison.reason_no_ratio}"
        comparisons.append(AimComparison(key, exposed, comparison, sentence, or_sentence))
    return AimReport(
        success=counts.success,
        success_text=past,
        groups=groups,
        comparisons=tuple(comparisons),
        left_out=counts.left_out,
        total=sum(g.total for g in groups),
    )
