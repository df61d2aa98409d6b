"""The seed's kinds of secondment and which allmänmedicin requires (seed 004, "Hur långa är de
obligatoriska sidotjänstgöringarna?": internmedicin 16 veckor, psykiatri 12 veckor).
Idempotent; called by the data migration (with the historical models) and by tests."""

from __future__ import annotations

from typing import Any

KINDS = (
    # code, Swedish name, English name, default weeks, position
    ("internal_medicine", "Internmedicin", "Internal medicine", 16, 10),
    ("psychiatry", "Psykiatri", "Psychiatry", 12, 20),
)
# Specialty code -> the kinds it requires, for every curriculum version.
MANDATORY = {"allmanmedicin": ("internal_medicine", "psychiatry")}


def load_seed(apps: Any = None) -> None:
    if apps is None:
        from django.apps import apps as live

        apps = live
    kind_model = apps.get_model("secondments", "SecondmentKind")
    mandatory_model = apps.get_model("secondments", "MandatorySecondment")
    specialty_model = apps.get_model("curricula", "Specialty")
    kinds = {}
    for code, name, name_en, weeks, position in KINDS:
        kinds[code], _created = kind_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "default_weeks": weeks,
                "position": position,
            },
        )
    for specialty_code, codes in MANDATORY.items():
        specialty = specialty_model.objects.filter(code=specialty_code).first()
        if specialty is None:
            continue
        for code in codes:
            mandatory_model.objects.get_or_create(
                specialty=specialty, version=None, kind=kinds[code]
            )
