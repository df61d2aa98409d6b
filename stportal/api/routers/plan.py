"""Education plan and timeline (SPEC 5)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["plan"])
