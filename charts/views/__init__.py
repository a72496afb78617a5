from charts.views.board_ideas import annotation_from_board_note
from charts.views.homes import admin_home, chair_home, no_involvement
from charts.views.notes import annotation_add, annotation_delete, phase_add, phase_delete
from charts.views.pages import aims, pchart, pchart_csv, small_multiples

__all__ = [
    "admin_home",
    "aims",
    "annotation_add",
    "annotation_from_board_note",
    "annotation_delete",
    "chair_home",
    "no_involvement",
    "pchart",
    "pchart_csv",
    "phase_add",
    "phase_delete",
    "small_multiples",
]
