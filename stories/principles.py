"""The COCREATORS co-production charter: the ten principles, defined once for stories and
reflections alike (seed, "Co-production of Improvement")."""

from __future__ import annotations

from django.db import models


class Principle(models.TextChoices):
    COLLABORATE = "collaborate", "Collaborate"
    OPENHEARTED = "openhearted", "Openhearted"
    COURAGE = "courage", "Courage"
    RESPECT = "respect", "Respect"
    EMPOWER = "empower", "Empower"
    ACCESSIBLE = "accessible", "Accessible"
    TRANSLATE = "translate", "Translate"
    OPPORTUNITY = "opportunity", "Opportunity"
    REFLECT = "reflect", "Reflect"
    SOLVE = "solve", "Solve"

    @property
    def meaning(self) -> str:
        return MEANINGS[self]


# Each principle's one line, in the charter's words.
MEANINGS: dict[Principle, str] = {
    Principle.COLLABORATE: "Make important decisions together and in a fair and democratic way",
    Principle.OPENHEARTED: "Listen and value everyone's contributions",
    Principle.COURAGE: "Encourage all members to raise ideas, suggestions, issues and concerns",
    Principle.RESPECT: "Respect each other's views",
    Principle.EMPOWER: (
        "Enable every member to contribute in a way that makes them feel comfortable"
    ),
    Principle.ACCESSIBLE: (
        "Make sure each project member has what they need in order to be able to contribute "
        "effectively"
    ),
    Principle.TRANSLATE: "Use appropriate language and communication methods",
    Principle.OPPORTUNITY: (
        "Allow opportunities for project members to develop new skills, knowledge and understanding"
    ),
    Principle.REFLECT: "Reflect on the way we work throughout the project",
    # The seed's slide repeats Collaborate's line under Solve (a copy-and-paste slip); this is
    # the charter poem's sense of it: "Put simply your job is to SOLVE".
    Principle.SOLVE: "Work together to find and test solutions to the problem the project is about",
}

# The order people read them in: C-O-C-R-E-A-T-O-R-S.
ORDER: tuple[Principle, ...] = tuple(Principle)
