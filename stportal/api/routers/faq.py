"""Questions and answers and information pages (SPEC 5 P10), edited by staff, searchable, Swedish
and English."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["faq"])
