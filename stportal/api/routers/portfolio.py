"""The trainee's ST record (SPEC 5 P1): coverage of goals and mandatory subjects, and the record's
overview for the trainee, supervisor and study director."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["portfolio"])
