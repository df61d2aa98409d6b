"""What can be attached to the application for the specialist certificate (SPEC 5 P14,
Appendix B): course certificates, certificates of clinical service, auskultation, quality work,
written work, medical science (2021) and the BT certificates, each naming its goals.

Each app that holds such a certificate registers an evidence source in its
`AppConfig.ready()`; the completion pack asks them all, places each kind where the application
wants it and numbers them. Curricula sit below those apps, so the apps come to it.

A source is `fn(trainee_id) -> [Evidence, ...]` and answers in a constant number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

# Kinds of certificate (API words), named after Socialstyrelsen's forms.
COURSE = "course"  # Intyg ... Kurs (2015 bilaga 5, 2021 bilaga 10)
CLINICAL_SERVICE = "clinical_service"  # klinisk tjänstgöring under handledning (4 / 9)
AUSKULTATION = "auskultation"  # (3 / 8)
QUALITY_WORK = "quality_work"  # kvalitets- och utvecklingsarbete (6 / 11)
WRITTEN_WORK = "written_work"  # självständigt skriftligt arbete (2015: 7)
SCIENCE = "science"  # delmål STa3 medicinsk vetenskap (2021: 12)
SPECIALIST_COMPETENCE = "specialist_competence"  # uppnådd specialistkompetens (2 / 7), once
SERVICE_COMPLETED = "service_completed"  # fullgjord specialiseringstjänstgöring (2021: 6), once
BT_GOAL = "bt_goal"  # delmål i bastjänstgöringen (BT 2)
BT_COMPLETED = "bt_completed"  # fullgjord BT (BT 3), once
BT_COMPETENCE = "bt_competence"  # uppnådd baskompetens (BT 4), once

KINDS = (
    COURSE,
    CLINICAL_SERVICE,
    AUSKULTATION,
    QUALITY_WORK,
    WRITTEN_WORK,
    SCIENCE,
    SPECIALIST_COMPETENCE,
    SERVICE_COMPLETED,
    BT_GOAL,
    BT_COMPLETED,
    BT_COMPETENCE,
)


@dataclass(frozen=True)
class Evidence:
    """One certificate the trainee holds or plans to hold. `goals` are goal codes ("a1",
    "STa3", "BT5"); `pdf` returns the trainee's copy as PDF bytes, or is None when the product
    holds no document of it (then it is listed but cannot be merged). `present` is false for
    something planned whose certificate is not there yet."""

    kind: str
    title: str
    goals: tuple[str, ...]
    start: dt.date | None
    end: dt.date | None
    source: str
    source_id: int
    present: bool = True
    pdf: Callable[[], bytes] | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown certificate kind {self.kind!r}")


EvidenceSource = Callable[[int], list[Evidence]]

_SOURCES: dict[str, EvidenceSource] = {}


def register_evidence_source(name: str, source: EvidenceSource) -> None:
    """Register (or replace) the source called `name`."""
    _SOURCES[name] = source


def evidence_of(trainee_id: int) -> list[Evidence]:
    """Every certificate of the trainee from every registered source, in a stable order."""
    found = [item for name in sorted(_SOURCES) for item in _SOURCES[name](trainee_id)]
    return sorted(
        found,
        key=lambda e: (e.kind, e.start or dt.date.min, e.end or dt.date.min, e.source, e.source_id),
    )
