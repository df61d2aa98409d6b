"""Seed 004's list of what study time is for ("Vad ska jag ägna kompetensutvecklingstiden
åt?"): data, editable in the admin afterwards."""

from django.db import migrations

ACTIVITIES = [
    (
        "planning",
        "Planering",
        "Planning",
        "Planering av din ST-utbildning, planering av vårdcentraltjänstgöring, kontakt med "
        "sidoutbildningskliniker, planering och ansökan till kurser.",
    ),
    (
        "documentation",
        "Dokumentation",
        "Documentation",
        "Dokumentation av din ST-utbildning (kompetensbedömningar, årsrapporter, intyg etc.) och "
        "kontinuerlig uppdatering av tjänstgöringsportfölj och utbildningsplan.",
    ),
    (
        "reading",
        "Fördjupning och läsning",
        "Reading and study",
        "Fördjupning och läsning av medicinsk litteratur/tidskrifter och medicinsk information "
        "på internet.",
    ),
    (
        "study_visit",
        "Studiebesök",
        "Study visit",
        "Studiebesök på till exempel rehabmottagning, mödravårdscentral och "
        "specialistsköterskemottagning.",
    ),
    (
        "sitting_in",
        "Medsittning hos kollegor",
        "Sitting in with colleagues",
        "Medsittning hos kollegor på vårdcentralen.",
    ),
    ("balint", "Deltagande i Balint", "Balint group", "Deltagande i Balint."),
]


def seed(apps, schema_editor):
    StudyActivity = apps.get_model("studytime", "StudyActivity")
    for position, (code, name, name_en, description) in enumerate(ACTIVITIES, start=1):
        StudyActivity.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "description": description,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("studytime", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
