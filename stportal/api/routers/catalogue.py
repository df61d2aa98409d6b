"""The course catalogue (SPEC 5 P2): the region's programme and external courses, by goal and
subject; providers preferred or other."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["catalogue"])
