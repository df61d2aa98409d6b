"""Curricula as seed data (SPEC 5 P1, Appendix B, seed 004): allmänmedicin 2015 has exactly the
twelve mandatory course subjects of seed 004, each with the goals it serves."""

from __future__ import annotations

import pytest

from stportal.curricula.models import MandatorySubject
from stportal.curricula.seed import load_seed

pytestmark = pytest.mark.django_db

# Appendix B, in seed 004's order: (name, goal codes, note for unnumbered specialty goals).
SEED_004 = [
    ("Allmänmedicinskt arbetssätt", [], "c"),
    ("Kommunikation med patienter och närstående", ["b1"], ""),
    ("Medarbetarskap, ledarskap och pedagogik", ["a1"], ""),
    ("BVC, barnmedicin", [], "c"),
    ("Medicinsk vetenskap", ["a5"], ""),
    ("Etik, mångfald och jämlikhet", ["a2"], ""),
    ("Sjukdomsförebyggande arbete", ["b2"], ""),
    ("Läkemedel", ["b3"], ""),
    ("Försäkringsmedicin", ["b4"], ""),
    ("Palliativ vård i livets slutskede", ["b5"], ""),
    ("Lagar och andra föreskrifter samt hälso- och sjukvårdens organisation", ["a6"], ""),
    ("Lagar och föreskrifter som gäller för allmänmedicin", [], "c"),
]


def _allmanmedicin_2015():
    return (
        MandatorySubject.objects.filter(specialty__code="allmanmedicin", version__code="2015")
        .prefetch_related("goals")
        .order_by("position")
    )


def test_allmanmedicin_2015_has_exactly_the_twelve_subjects_of_seed_004_p1():
    found = [
        (
            subject.name,
            sorted(goal.code for goal in subject.goals.all()),
            subject.goal_note,
        )
        for subject in _allmanmedicin_2015()
    ]
    assert found == SEED_004


def test_seed_goals_are_the_general_goals_of_2015_p1():
    for subject in _allmanmedicin_2015():
        for goal in subject.goals.all():
            assert goal.version.code == "2015" and goal.specialty_id is None


def test_loading_the_seed_again_changes_nothing_p1():
    before = list(_allmanmedicin_2015().values_list("pk", "name"))
    load_seed()
    assert list(_allmanmedicin_2015().values_list("pk", "name")) == before


def test_no_other_specialty_has_seeded_mandatory_subjects_p1():
    # Staff define the others in the back office (see the record's admin test).
    assert not MandatorySubject.objects.exclude(specialty__code="allmanmedicin").exists()
