"""Tags for project pages: a project's level, status and outcome as NHS tags with words."""

from __future__ import annotations

from django import template

from projects.models import AimReached, Level, ProjectStatus
from projects.presenters import LEVEL_COLOURS, STATUS_COLOURS
from projects.templatetags.nhsuk import tag

register = template.Library()


@register.simple_tag
def level_tag(level):
    level = Level(int(level))
    return tag(level.label, LEVEL_COLOURS[level])


@register.simple_tag
def status_tag(status):
    status = ProjectStatus(status)
    return tag(status.label, STATUS_COLOURS[status])


@register.simple_tag
def aim_tag(aim_reached):
    value = AimReached(aim_reached or "")
    colour = {AimReached.YES: "green", AimReached.NO: "red"}.get(value, "yellow")
    words = {AimReached.YES: "Aim reached", AimReached.NO: "Aim not reached"}.get(
        value, "Outcome not recorded"
    )
    return tag(words, colour)
