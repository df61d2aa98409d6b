"""The record's pages (SPEC 5 P1): the trainee's coverage with what remains, the record's
overview, and the supervisor's and study director's table of their trainees."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from stportal.accounts.models import Role
from stportal.attendance import services as attendance_services
from stportal.attendance.tests.fixtures import AFTER_COURSE, attend
from stportal.certificates import services as certificate_services
from stportal.core.audit import AuditEvent
from stportal.testing import factories


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _coverage_url(trainee) -> str:
    return reverse("portfolio:coverage", args=[trainee.pk])


def test_trainee_sees_what_remains_and_the_passed_course_p1(closed):
    asa = closed[0].trainee
    page = _client(asa.user).get(_coverage_url(asa))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Min täckning" in text
    assert "10 av 12 obligatoriska kursämnen återstår." in text
    assert "Kurs i regionens kursprogram:" in text
    assert "Etik, mångfald och jämlikhet (LEKA A 2027)" in text
    assert "2027-03-24" in text
    assert "Täckt" in text and "Inte täckt" in text  # in words, not colour alone
    # The remaining list names what is not covered, and not what is.
    remaining = text.split('id="remaining-heading"')[1].split("</section>")[0]
    assert "Läkemedel" in remaining
    assert "Etik, mångfald och jämlikhet" not in remaining


def test_my_st_links_to_coverage_with_a_summary_p1(closed):
    asa = closed[0].trainee
    page = _client(asa.user).get(reverse("accounts:my_st"))
    text = page.content.decode()
    assert _coverage_url(asa) in text
    assert "10 av 12 obligatoriska kursämnen återstår." in text
    assert _client(asa.user).get(reverse("portfolio:my_coverage")).url == _coverage_url(asa)


def test_someone_without_a_record_has_no_own_coverage_p1(supervisor):
    assert _client(supervisor).get(reverse("portfolio:my_coverage")).status_code == 404


def test_supervisor_and_study_director_read_the_coverage_p1(
    closed, supervisor, study_director, regional_study_director
):
    asa = closed[0].trainee
    for reader in (supervisor, study_director, regional_study_director):
        page = _client(reader).get(_coverage_url(asa))
        assert page.status_code == 200, reader
        assert "Etik, mångfald och jämlikhet (LEKA A 2027)" in page.content.decode()


def test_another_supervisors_trainee_and_another_region_answer_404_p1(
    closed, other_supervisor, outsider_admin, other_region
):
    asa = closed[0].trainee
    b_trainee = factories.TraineeFactory(home_unit=factories.HomeUnitFactory(region=other_region))
    for reader in (other_supervisor, outsider_admin, b_trainee.user):
        for name in ("portfolio:coverage", "portfolio:record"):
            answer = _client(reader).get(reverse(name, args=[asa.pk]))
            assert answer.status_code == 404, (reader, name)


def test_record_overview_masks_the_personal_id_except_for_the_trainee_and_staff_p1(
    closed, supervisor, course_admin
):
    asa = closed[0].trainee
    url = reverse("portfolio:record", args=[asa.pk])
    masked = f"{asa.personal_id[:8]}-****"
    full = f"{asa.personal_id[:8]}-{asa.personal_id[8:]}"
    own = _client(asa.user).get(url).content.decode()
    assert full in own
    supervised = _client(supervisor).get(url).content.decode()
    assert masked in supervised and full not in supervised
    assert supervisor.display_name in supervised
    assert _coverage_url(asa) in supervised
    assert "10 av 12 obligatoriska kursämnen återstår." in supervised
    assert full in _client(course_admin).get(url).content.decode()


def test_who_was_shown_a_full_personal_identity_number_is_logged(closed, supervisor, course_admin):
    """SPEC 7: the access log of full personal identity numbers. Staff shown the whole number
    are logged; the trainee reading their own, and the supervisor shown it masked, are not."""
    asa = closed[0].trainee
    url = reverse("portfolio:record", args=[asa.pk])
    viewed = AuditEvent.objects.filter(action="personal_id.viewed")
    _client(asa.user).get(url)
    _client(supervisor).get(url)
    assert not viewed.exists()
    _client(course_admin).get(url)
    (event,) = viewed
    assert (event.actor, event.object_id) == (course_admin, str(asa.pk))
    assert event.after == {"trainee_id": asa.pk, "where": "st-record"}
    assert asa.personal_id not in str(event.after) + event.object_repr


def test_supervisor_lists_own_trainees_with_what_they_lack_p1(closed, supervisor):
    asa, goran, bo = (registration.trainee for registration in closed)
    text = _client(supervisor).get(reverse("portfolio:trainees")).content.decode()
    assert reverse("portfolio:record", args=[asa.pk]) in text
    assert reverse("portfolio:record", args=[goran.pk]) in text
    assert reverse("portfolio:record", args=[bo.pk]) not in text  # another supervisor's
    assert 'aria-sort="ascending"' in text  # by name, at first


def _row_order(text: str, *trainees) -> list[int]:
    return sorted(
        (trainee.pk for trainee in trainees),
        key=lambda pk: text.index(f'href="/st/{pk}/"'),
    )


def test_table_sorts_by_each_column_through_links_p1(closed, study_director):
    asa, goran, bo = (registration.trainee for registration in closed)
    client = _client(study_director)
    url = reverse("portfolio:trainees")
    by_name = client.get(url).content.decode()
    assert _row_order(by_name, asa, goran, bo) == [bo.pk, goran.pk, asa.pk]  # Berg, Ärlig, Öberg
    assert 'href="?sortera=name&amp;ordning=fallande"' in by_name  # the sorted column turns
    most_missing = client.get(url, {"sortera": "subjects", "ordning": "fallande"}).content
    text = most_missing.decode()
    assert 'aria-sort="descending"' in text
    assert _row_order(text, asa, goran, bo) == [bo.pk, asa.pk, goran.pk]  # 12, 10, 0
    fewest = client.get(url, {"sortera": "subjects"}).content.decode()
    assert _row_order(fewest, asa, goran, bo) == [goran.pk, asa.pk, bo.pk]
    for column in ("unit", "version", "completion", "goals", "missing", "nonsense"):
        assert client.get(url, {"sortera": column}).status_code == 200


def test_table_filters_who_lacks_a_subject_p1(closed, study_director):
    asa, goran, bo = (registration.trainee for registration in closed)
    client = _client(study_director)
    url = reverse("portfolio:trainees")
    text = client.get(url, {"saknar": "Etik, mångfald och jämlikhet"}).content.decode()
    assert _row_order(text, bo) == [bo.pk]
    assert f'href="/st/{asa.pk}/"' not in text and f'href="/st/{goran.pk}/"' not in text
    assert "1 ST-läkare saknar Etik, mångfald och jämlikhet" in text
    both = client.get(url, {"saknar": "Läkemedel"}).content.decode()
    assert f'href="/st/{asa.pk}/"' in both and f'href="/st/{bo.pk}/"' in both
    nobody = client.get(url, {"saknar": "x" * 5000})
    assert nobody.status_code == 200
    assert "Ingen av dina ST-läkare saknar" in nobody.content.decode()


def test_table_downloads_as_csv_and_excel_p1(closed, study_director):
    client = _client(study_director)
    url = reverse("portfolio:trainees")
    answer = client.get(url, {"format": "csv", "sortera": "subjects", "ordning": "fallande"})
    rows = list(csv.reader(io.StringIO(answer.content.decode()), delimiter=";"))
    assert rows[0][0] == "Namn"
    assert [row[0] for row in rows[1:]] == ["Bo Berg", "Åsa Öberg", "Göran Ärlig"]
    assert rows[1][4] == "12"
    workbook = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    sheet = workbook.active
    assert sheet.cell(row=2, column=1).value == "Bo Berg"


def test_a_person_without_trainees_sees_an_empty_table_p1(closed, course_admin):
    text = _client(course_admin).get(reverse("portfolio:trainees")).content.decode()
    assert "Du är inte handledare eller studierektor för någon ST-läkare" in text


@pytest.mark.parametrize("count", [3, 30])
def test_table_costs_a_constant_number_of_queries_p1(
    count, make_participant, seat, etik, course_leader, supervisor, django_assert_max_num_queries
):
    trainees = [make_participant("2015", supervisor=supervisor) for _ in range(count)]
    for registration in seat(*trainees):
        attend(course_leader, etik, registration, "PPP")
    attendance_services.close_register(actor=course_leader, course=etik, now=AFTER_COURSE)
    client = _client(supervisor)
    # The same for 3 and 30 trainees: the page's own reads and a fixed few per coverage source
    # (programme courses, certificates, funded external courses, ST-days, the education plan).
    with django_assert_max_num_queries(21):
        page = client.get(reverse("portfolio:trainees"))
    assert len(re.findall(r'href="/st/\d+/"', page.content.decode())) == count


def test_regional_study_director_lists_the_whole_region_p1(closed, regional_study_director):
    text = _client(regional_study_director).get(reverse("portfolio:trainees")).content.decode()
    for registration in closed:
        assert f'href="/st/{registration.trainee.pk}/"' in text


def test_study_director_of_another_area_does_not_list_them_p1(closed, region):
    elsewhere = factories.AreaFactory(region=region, name="Annat område")
    director = factories.user_with_role(Role.STUDY_DIRECTOR, region=region, area=elsewhere)
    text = _client(director).get(reverse("portfolio:trainees")).content.decode()
    assert not re.search(r'href="/st/\d+/"', text)
    asa = closed[0].trainee
    assert _client(director).get(_coverage_url(asa)).status_code == 404


def test_table_says_all_when_every_subject_is_missing_p1(closed, study_director):
    text = _client(study_director).get(reverse("portfolio:trainees")).content.decode()
    bo_row = text.split(f'href="/st/{closed[2].trainee.pk}/"')[1].split("</tr>")[0]
    assert '<td class="coverage-missing">Alla</td>' in bo_row
    asa_row = text.split(f'href="/st/{closed[0].trainee.pk}/"')[1].split("</tr>")[0]
    assert "Läkemedel" in asa_row


def test_coverage_links_only_where_the_reader_may_follow_p1(
    closed, etik, supervisor, course_admin, regional_study_director
):
    asa = closed[0].trainee
    issued = certificate_services.issue_certificates(
        actor=regional_study_director, course=etik, now=AFTER_COURSE
    )
    certificate = next(c for c in issued if c.line.registration.trainee_id == asa.pk)
    week = reverse("courses:week", args=[etik.week_id])
    copy = reverse("certificates:copy_pdf", args=[certificate.pk])
    tracking = reverse("certificates:certificate", args=[certificate.pk])
    own = _client(asa.user).get(_coverage_url(asa)).content.decode()
    assert f'href="{week}"' in own and f'href="{copy}"' in own and tracking not in own
    staff = _client(course_admin).get(_coverage_url(asa)).content.decode()
    assert f'href="{tracking}"' in staff and copy not in staff
    supervised = _client(supervisor).get(_coverage_url(asa)).content.decode()
    assert f'href="{week}"' in supervised
    assert copy not in supervised and tracking not in supervised
    assert "Kursintyg:" in supervised  # named, without a link the supervisor could not follow


def test_record_overview_links_each_reader_to_the_parts_they_act_on_p3_p5(
    closed, supervisor, study_director
):
    """The overview leads the trainee to their funding applications and statements, the
    supervisor to writing a statement, the study director to the applications to decide."""
    asa = closed[0].trainee
    url = reverse("portfolio:record", args=[asa.pk])
    own = _client(asa.user).get(url).content.decode()
    assert reverse("funding:mine") in own
    assert reverse("statements:new", args=[asa.pk]) not in own
    supervised = _client(supervisor).get(url).content.decode()
    assert reverse("statements:new", args=[asa.pk]) in supervised
    assert reverse("stdays:record", args=[asa.pk]) in supervised
    assert reverse("funding:to_decide") not in supervised
    directed = _client(study_director).get(url).content.decode()
    assert reverse("funding:to_decide") in directed
    assert reverse("statements:index") in directed
    assert reverse("statements:new", args=[asa.pk]) not in directed
    assert reverse("stdays:trainee", args=[asa.pk]) in directed
    assert reverse("stdays:record", args=[asa.pk]) not in directed
