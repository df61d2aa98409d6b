"""ST-days that correspond to a mandatory course (SPEC 5 P4): the supervisor records the
examination and issues the certificate."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["stdays"])
