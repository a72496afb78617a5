"""The acronyms and words the app uses, in plain English.

The seed asks for it ("I would like an acronym sheet please"); the glossary page lists these, and
the ``{% term %}`` template tag expands an acronym where it is used.
"""

from __future__ import annotations

GLOSSARY: dict[str, tuple[str, str]] = {
    # term: (expansion, plain-words explanation)
    "Big I": (
        "Big I involvement",
        "Service users or carers are members of the project team: a full, continuous partnership.",
    ),
    "little i": (
        "little i involvement",
        "The project asks people who use the service for ideas or feedback, for example in a "
        "survey or focus group: a partnership from time to time.",
    ),
    "SU": (
        "Service user or carer",
        "Someone who uses the trust's services, or cares for someone who does.",
    ),
    "PPL": (
        "People Participation Lead",
        "The member of staff in a directorate who supports service users and carers to take part, "
        "and pays them for it.",
    ),
    "QI": (
        "Quality Improvement",
        "A way of making services better by testing small changes and measuring them.",
    ),
    "QI forum": (
        "Quality Improvement forum",
        "A directorate's regular meeting where QI projects are shared. "
        "Its chair may be a service user.",
    ),
    "Life QI": ("Life QI", "The website the trust uses to record its QI projects."),
    "IHI": (
        "Institute for Healthcare Improvement",
        "Its progress scale (0.5 to 5.0) says how far a QI project has got.",
    ),
    "SPC": (
        "Statistical process control",
        "Charts that show whether a change is real or just normal ups and downs.",
    ),
    "p-chart": (
        "Proportion chart",
        "An SPC chart of a percentage over time, with a centre line and limits.",
    ),
    "CL": ("Centre line", "The average percentage on a p-chart."),
    "UCL / LCL": (
        "Upper and lower control limits",
        "The lines on a p-chart outside which a point is unusual.",
    ),
    "COCREATORS": (
        "The co-production charter",
        "Collaborate, Openhearted, Courage, Respect, Empower, Accessible, Translate, Opportunity, "
        "Reflect, Solve.",
    ),
    "CAMHS": (
        "Child and Adolescent Mental Health Services",
        "Mental health services for young people.",
    ),
    "IAPT": (
        "Improving Access to Psychological Therapies",
        "Talking therapy services (now called NHS Talking Therapies).",
    ),
    "PDF": ("Portable Document Format", "A document you can print or keep."),
    "CSV": ("Comma-separated values", "A spreadsheet file that Excel opens."),
    "Pocket QI": ("Pocket QI", "The trust's introductory QI training course."),
}


def expansion(term: str) -> str:
    return GLOSSARY.get(term, ("", ""))[0]
