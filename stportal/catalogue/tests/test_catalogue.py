"""The course catalogue (SPEC 5 P2): providers preferred or other, external courses, the
region's own programme, searching by text, goal and mandatory subject, and who may change it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from stportal.accounts.tokens import issue_api_token
from stportal.catalogue import listing, selectors, services
from stportal.catalogue.models import ExternalCourse, Provider, ProviderKind
from stportal.core.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed
from stportal.core.models import AuditEvent
from stportal.courses import services as course_services
from stportal.curricula.coverage import SubjectRef
from stportal.curricula.models import Goal, MandatorySubject
from stportal.testing import factories

pytestmark = pytest.mark.django_db


def goals(*codes: str) -> list[Goal]:
    return list(Goal.objects.filter(version__code="2015", specialty__isnull=True, code__in=codes))


def subject(name: str) -> MandatorySubject:
    return MandatorySubject.objects.get(
        specialty__code="allmanmedicin", version__code="2015", name=name
    )


def soon(days: int = 30) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


@pytest.fixture
def preferred(region, course_admin):
    return services.create_provider(
        actor=course_admin, region=region, name="ST-forum", kind=ProviderKind.PREFERRED
    )


@pytest.fixture
def other(region, course_admin):
    return services.create_provider(
        actor=course_admin, region=region, name="Allmänläkarkurser", kind=ProviderKind.OTHER
    )


def external(provider, actor, title, *, goal_codes=(), subjects=(), days=30, **extra):
    return services.create_external_course(
        actor=actor,
        provider=provider,
        title=title,
        url="https://example.org/kurs",
        start_date=soon(days),
        end_date=soon(days + 1),
        place="Umeå",
        cost=4000,
        certified=True,
        goals=goals(*goal_codes),
        subjects=subjects,
        **extra,
    )


def published_week_with_course(series, actor, *, title="Läkemedel i praktiken", codes=("b3",)):
    start = soon(60) - dt.timedelta(days=soon(60).weekday())
    week = course_services.create_course_week(
        actor=actor,
        series=series,
        title="LEKA B test",
        start_date=start,
        end_date=start + dt.timedelta(days=4),
        place="NUS, Umeå",
        capacity=40,
        invitation_date=timezone.localdate() - dt.timedelta(days=1),
        registration_deadline=start - dt.timedelta(days=30),
        late_cancellation_fee=3000,
    )
    course_services.add_course(
        actor=actor, week=week, title=title, days=[start], goals=goals(*codes)
    )
    course_services.publish_course_week(actor=actor, week=week)
    return week


# --- Who may change the catalogue -------------------------------------------------------------


def test_staff_of_the_region_add_a_provider_and_it_is_audited_p2(region, course_admin):
    provider = services.create_provider(
        actor=course_admin, region=region, name="Regionkalendern", kind=ProviderKind.PREFERRED
    )
    assert provider.preferred
    event = AuditEvent.objects.get(action="provider.created")
    assert event.actor == course_admin and event.object_id == str(provider.pk)


def test_a_trainee_may_not_add_a_provider_p2(region, trainee):
    with pytest.raises(PermissionDenied):
        services.create_provider(actor=trainee.user, region=region, name="X")


def test_staff_of_another_region_cannot_touch_our_providers_p2(region, outsider_admin, preferred):
    with pytest.raises(NotFound):
        services.update_provider(
            actor=outsider_admin, provider=preferred, changes={"kind": ProviderKind.OTHER}
        )
    with pytest.raises(NotFound):
        selectors.get_provider_for_staff(outsider_admin, preferred.pk)
    with pytest.raises(NotFound):
        external(preferred, outsider_admin, "Intrång")


def test_a_provider_name_is_unique_in_the_region_whatever_its_case_p2(
    region, course_admin, preferred
):
    with pytest.raises(ValidationFailed) as caught:
        services.create_provider(actor=course_admin, region=region, name="st-FORUM")
    assert "name" in caught.value.fields


def test_changing_a_provider_to_other_is_audited_with_before_and_after_p2(course_admin, preferred):
    services.update_provider(
        actor=course_admin, provider=preferred, changes={"kind": ProviderKind.OTHER}
    )
    event = AuditEvent.objects.get(action="provider.changed")
    assert event.before == {"kind": "preferred"} and event.after == {"kind": "other"}
    assert not selectors.provider_is_preferred(region_id=preferred.region_id, name="ST-forum")


def test_a_provider_with_courses_is_not_removed_p2(course_admin, preferred):
    course = external(preferred, course_admin, "Palliativ vård")
    with pytest.raises(ServiceError) as caught:
        services.remove_provider(actor=course_admin, provider=preferred)
    assert caught.value.code == "provider_has_courses"
    services.remove_external_course(actor=course_admin, course=course)
    services.remove_provider(actor=course_admin, provider=preferred)
    assert not Provider.objects.exists()
    assert AuditEvent.objects.filter(action="external_course.removed").exists()


def test_an_external_course_keeps_its_bounds_p2(course_admin, preferred):
    with pytest.raises(ValidationFailed) as caught:
        services.create_external_course(
            actor=course_admin,
            provider=preferred,
            title="Kurs",
            cost=10**12,
            url="javascript:alert(1)",
        )
    assert {"cost", "url"} <= set(caught.value.fields)
    with pytest.raises(ValidationFailed) as caught:
        services.create_external_course(
            actor=course_admin,
            provider=preferred,
            title="Kurs",
            start_date=dt.date(2027, 5, 3),
            end_date=dt.date(2027, 5, 1),
        )
    assert set(caught.value.fields) == {"end_date"}


def test_changing_an_external_courses_goals_is_audited_p2(course_admin, preferred):
    course = external(preferred, course_admin, "Läkemedel", goal_codes=("b3",))
    services.update_external_course(
        actor=course_admin, course=course, changes={"goals": goals("b3", "b4")}
    )
    event = AuditEvent.objects.get(action="external_course.changed")
    assert len(event.after["goal_ids"]) == 2


def test_the_preferred_check_the_funding_application_uses_p2(region, preferred, other):
    assert selectors.provider_is_preferred(region_id=region.pk, name=" st-forum ")
    assert not selectors.provider_is_preferred(region_id=region.pk, name="Allmänläkarkurser")
    assert not selectors.provider_is_preferred(region_id=region.pk, name="Okänd kursgivare")


# --- Searching ------------------------------------------------------------------------------


def test_the_catalogue_lists_the_programme_and_external_courses_with_provider_kind_p2(
    series, course_admin, trainee, preferred, other
):
    published_week_with_course(series, course_admin)
    external(preferred, course_admin, "Försäkringsmedicin", goal_codes=("b4",))
    external(
        other, course_admin, "Konsultationen", subjects=[subject("Allmänmedicinskt arbetssätt")]
    )
    found = selectors.catalogue_for(trainee.user, today=timezone.localdate())
    by_title = {entry.title: entry for entry in found.entries}
    assert by_title["Läkemedel i praktiken"].kind == listing.PROGRAMME
    assert by_title["Läkemedel i praktiken"].preferred
    assert by_title["Försäkringsmedicin"].preferred
    assert by_title["Konsultationen"].needs_exception


def test_searching_by_goal_finds_courses_of_that_goal_only_p2(
    series, course_admin, trainee, preferred
):
    published_week_with_course(series, course_admin, codes=("b3",))
    external(preferred, course_admin, "Försäkringsmedicin", goal_codes=("b4",))
    found = selectors.catalogue_for(trainee.user, today=timezone.localdate(), goal="b4")
    assert [e.title for e in found.entries] == ["Försäkringsmedicin"]


def test_searching_by_subject_finds_named_courses_and_those_serving_all_its_goals_p2(
    series, course_admin, trainee, preferred, other
):
    published_week_with_course(series, course_admin, codes=("b3",))  # serves Läkemedel's goal
    external(other, course_admin, "Läkemedelskurs", subjects=[subject("Läkemedel")])
    external(preferred, course_admin, "Etik", goal_codes=("a2",))
    found = selectors.catalogue_for(
        trainee.user, today=timezone.localdate(), subject=subject("Läkemedel")
    )
    assert sorted(e.title for e in found.entries) == ["Läkemedel i praktiken", "Läkemedelskurs"]


def test_free_text_search_ignores_case_of_swedish_letters_p2(course_admin, trainee, preferred):
    external(preferred, course_admin, "PALLIATIV VÅRD I LIVETS SLUTSKEDE")
    found = selectors.catalogue_for(trainee.user, today=timezone.localdate(), query="vård")
    assert len(found.entries) == 1


def test_another_regions_catalogue_is_not_shown_p2(course_admin, preferred, outsider_admin):
    external(preferred, course_admin, "Vår kurs")
    assert selectors.catalogue_for(outsider_admin, today=timezone.localdate()).entries == []


def test_a_week_opened_to_another_region_is_in_its_trainees_catalogue_at_the_guest_price(
    series, course_admin, other_region
):
    """C23: trainees of an admitted region find the week's courses in the catalogue, at the
    price their region pays per seat; a region not admitted does not."""
    week = published_week_with_course(series, course_admin)
    guest = factories.TraineeFactory(home_unit=factories.HomeUnitFactory(region=other_region))
    today = timezone.localdate()
    assert selectors.catalogue_for(guest.user, today=today).entries == []
    course_services.update_course_week(
        actor=course_admin,
        week=week,
        changes={"open_to_regions": [other_region.pk], "guest_seat_price": 4500},
    )
    (entry,) = selectors.catalogue_for(guest.user, today=today).entries
    assert (entry.title, entry.kind, entry.cost) == (
        "Läkemedel i praktiken",
        listing.PROGRAMME,
        4500,
    )
    third = factories.TraineeFactory(
        home_unit=factories.HomeUnitFactory(
            region=factories.RegionFactory(name="Region Tredje", code="tredje")
        )
    )
    assert selectors.catalogue_for(third.user, today=today).entries == []


def test_ended_courses_leave_the_catalogue_p2(course_admin, trainee, preferred):
    external(preferred, course_admin, "Förra året", days=-30)
    assert selectors.catalogue_for(trainee.user, today=timezone.localdate()).entries == []


entries = st.builds(
    listing.Entry,
    kind=st.sampled_from([listing.PROGRAMME, listing.EXTERNAL]),
    id=st.integers(1, 50),
    region_id=st.just(1),
    title=st.text(max_size=10),
    provider=st.text(max_size=5),
    preferred=st.booleans(),
    start_date=st.none() | st.dates(dt.date(2027, 1, 1), dt.date(2028, 1, 1)),
    goals=st.lists(
        st.builds(
            listing.GoalTag,
            version=st.just("2015"),
            code=st.sampled_from(["a1", "b3"]),
            title=st.just(""),
        ),
        max_size=2,
    ).map(tuple),
)


@given(
    st.lists(entries, max_size=12),
    st.sampled_from(["", "a1", "b3"]),
    st.sampled_from(listing.KINDS + ("",)),
)
def test_search_answers_the_same_whatever_the_order_and_only_matching_entries_p2(items, goal, kind):
    found = listing.search(items, goal=goal, kind=kind)
    again = listing.search(list(reversed(items)), goal=goal, kind=kind)
    assert sorted(map(id, found)) == sorted(map(id, again))
    assert [listing.order_key(e) for e in found] == sorted(listing.order_key(e) for e in found)
    for entry in found:
        assert not goal or goal in {g.code for g in entry.goals}
        if kind == listing.OTHER:
            assert entry.needs_exception


@given(st.lists(entries, max_size=12))
def test_a_subject_with_goals_matches_exactly_the_courses_serving_them_all_p2(items):
    ref = SubjectRef(id=99, name="Läkemedel", goal_codes=frozenset({"b3"}))
    found = listing.search(items, subject=ref)
    assert {id(e) for e in found} == {id(e) for e in items if "b3" in {g.code for g in e.goals}}


# --- Pages and API ----------------------------------------------------------------------------


def test_the_catalogue_page_shows_preferred_and_other_in_constant_queries_p2(
    client, course_admin, trainee, preferred, other, django_assert_max_num_queries
):
    external(preferred, course_admin, "Kurs hos regionen")
    external(other, course_admin, "Kurs hos privat")
    client.force_login(trainee.user)
    response = client.get(reverse("catalogue:catalogue"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Kurs hos privat" in text and "badge--other" in text and "badge--preferred" in text

    def count(n: int) -> int:
        for number in range(n):
            external(
                other if number % 2 else preferred,
                course_admin,
                f"Kurs {number}",
                goal_codes=("a1", "b3"),
            )
        with django_assert_max_num_queries(30) as captured:
            client.get(reverse("catalogue:catalogue"), {"goal": "a1"})
        return len(captured.captured_queries)

    assert count(3) == count(30)


def _api(user, method, path, body=None, **query):
    token = issue_api_token(actor=None, user=user)
    client = Client()
    headers = {"Authorization": f"Bearer {token}"}
    if method == "GET":
        return client.get(f"/api/v1/{path}", query, headers=headers)
    return client.post(
        f"/api/v1/{path}", data=body, content_type="application/json", headers=headers
    )


def test_api_staff_add_a_provider_and_a_course_by_goal_code_and_trainees_search_it_p2(
    region, course_admin, trainee
):
    made = _api(course_admin, "POST", "providers", {"name": "Socialstyrelsen", "kind": "other"})
    assert made.status_code == 201, made.content
    provider_id = made.json()["id"]
    course = _api(
        course_admin,
        "POST",
        "external-courses",
        {
            "provider_id": provider_id,
            "title": "SK-kurs i etik",
            "start_date": soon().isoformat(),
            "cost": 6000,
            "certified": True,
            "goals": {"2015": ["a2"]},
            "subject_ids": [subject("Etik, mångfald och jämlikhet").pk],
        },
    )
    assert course.status_code == 201, course.content
    assert course.json()["goals"]["2015"] == ["a2"]
    found = _api(trainee.user, "GET", "catalogue", goal="a2", kind="other").json()
    assert [(e["title"], e["needs_exception"], e["certified"]) for e in found] == [
        ("SK-kurs i etik", True, True)
    ]
    assert ExternalCourse.objects.count() == 1


def test_api_refuses_unknown_goal_codes_and_a_trainee_adding_courses_p2(
    course_admin, trainee, preferred
):
    bad = _api(
        course_admin,
        "POST",
        "external-courses",
        {"provider_id": preferred.pk, "title": "X", "goals": {"2015": ["zz9"]}},
    )
    assert bad.status_code == 422 and "goals.2015" in bad.json()["fields"]
    refused = _api(trainee.user, "POST", "providers", {"name": "Y"})
    assert refused.status_code == 403


def test_admin_of_region_a_cannot_see_region_bs_providers_p2(
    client, preferred, outsider_admin, other_region
):
    services.create_provider(actor=outsider_admin, region=other_region, name="Deras kursgivare")
    client.force_login(outsider_admin)
    listing_page = client.get(reverse("admin:catalogue_provider_changelist"))
    assert "Deras kursgivare" in listing_page.content.decode()
    assert "ST-forum" not in listing_page.content.decode()
    change = client.get(reverse("admin:catalogue_provider_change", args=[preferred.pk]))
    assert change.status_code == 302


def test_admin_adds_an_external_course_through_the_service_p2(client, course_admin, preferred):
    client.force_login(course_admin)
    response = client.post(
        reverse("admin:catalogue_externalcourse_add"),
        {
            "provider": preferred.pk,
            "title": "Försäkringsmedicin",
            "url": "https://example.org",
            "start_date": soon().isoformat(),
            "end_date": soon(31).isoformat(),
            "place": "Umeå",
            "cost": "3500",
            "certified": "on",
            "description": "",
            "goals": [g.pk for g in goals("b4")],
            "subjects": [subject("Försäkringsmedicin").pk],
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    course = ExternalCourse.objects.get()
    assert [g.code for g in course.goals.all()] == ["b4"]
    assert AuditEvent.objects.filter(action="external_course.created", actor=course_admin).exists()


def test_absurd_search_input_is_refused_without_a_server_error_p2(client, trainee):
    client.force_login(trainee.user)
    assert client.get(reverse("catalogue:catalogue"), {"q": "a\x00b"}).status_code == 400
    response = client.get(
        reverse("catalogue:catalogue"), {"q": "x" * 999, "subject": "9" * 40, "goal": "x" * 999}
    )
    assert response.status_code == 422
    api = _api(trainee.user, "GET", "catalogue", subject=str(2**63), q="x" * 5000)
    assert api.status_code == 422
