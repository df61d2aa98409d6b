"""Socialstyrelsen's application for a specialist certificate (SPEC 5 P14, Appendix B): the
product tells the 2015 and 2021 forms apart by their field names, fills the trainee's details,
the service list and the attachment numbers per kind, and flattens the result. Read back with
pypdf from the real forms in ../shared/reference/forms/."""

from __future__ import annotations

import io

from pypdf import PdfReader

from stportal.completion import application_form as af
from stportal.completion import rules
from stportal.completion.tests.conftest import COURSE_FORM_2015, application, reference

APPLICANT = af.Applicant("Berglund-Öhman", "Sara Åsa", "19850315-2384", "Allmänmedicin")
ROWS = [
    af.ServiceRow("Hälsocentralen Ålidhem", "230101 – 231231", "100", "12,0"),
    af.ServiceRow("Medicinkliniken, NUS", "240101 – 240421", "75", "2,6"),
]
ITEMS = [
    rules.Item(rules.SPECIALIST_COMPETENCE, "Specialistkompetens"),
    rules.Item(rules.CLINICAL_SERVICE, "Vårdcentral"),
    rules.Item(rules.COURSE, "Kurs 1", source_id=1),
    rules.Item(rules.COURSE, "Kurs 2", source_id=2),
    rules.Item(rules.COURSE, "Kurs 3", source_id=3),
    rules.Item(rules.QUALITY_WORK, "Kvalitetsarbete"),
    rules.Item(rules.WRITTEN_WORK, "Skriftligt arbete"),
    rules.Item(rules.SERVICE_COMPLETED, "Fullgjord"),
    rules.Item(rules.SCIENCE, "STa3"),
]


def _read(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, "\n".join(page.extract_text() or "" for page in reader.pages)


def test_p14_the_forms_are_told_apart_by_their_field_names():
    assert af.inspect(application("2015")) == af.FormCheck("2015")
    assert af.inspect(application("2021")) == af.FormCheck("2021")
    assert af.inspect(application("2015"), "2021").problem == "unknown_form"
    assert af.inspect(reference(COURSE_FORM_2015)).problem == "unknown_form"
    assert af.inspect(b"not a pdf").problem == "not_a_pdf"


def test_p14_the_2015_application_is_filled_with_service_list_and_numbers_and_flattened():
    pack = rules.pack(ITEMS, "2015", False)
    values = af.values("2015", APPLICANT, ROWS, pack)
    assert values["Bilaga nr"] == "1"  # specialist competence
    assert values["Bilaga nr_3"] == "2"  # clinical service
    assert values["Bilaga nr_4"] == "3–5"  # courses
    assert values["Bilaga nr_5"] == "6"
    assert values["Bilaga nr_6"] == "7"
    assert "Bilaga nr_2" not in values  # no auskultation
    filled = af.fill(application("2015"), values)
    reader, text = _read(filled)
    assert not reader.get_fields()
    assert "/AcroForm" not in reader.trailer["/Root"]
    assert all(
        "/Widget" not in str(a.get_object().get("/Subtype"))
        for p in reader.pages
        for a in (p.get("/Annots") or [])
    )
    for expected in (
        "Berglund-Öhman",
        "Sara Åsa",
        "19850315-2384",
        "Allmänmedicin",
        "Hälsocentralen Ålidhem",
        "230101 – 231231",
        "Medicinkliniken, NUS",
        "2,6",
        "14,6",  # the sum of the months
        "3–5",
    ):
        assert expected in text


def test_p14_the_2021_application_takes_numbers_6_to_12():
    pack = rules.pack(ITEMS, "2021", True)
    values = af.values("2021", APPLICANT, ROWS, pack)
    assert values["Bilagor nr.0.0"] == "1"  # service completed
    assert values["Bilagor nr.0.1"] == "2"  # specialist competence
    assert values["Bilagor nr.0.3"] == "3"  # clinical service
    assert values["Bilagor nr.0.4"] == "4–6"
    assert values["Bilagor nr.0.5"] == "7"
    assert values["Bilagor nr.0.6"] == "8"  # STa3
    filled = af.fill(application("2021"), values)
    reader, text = _read(filled)
    assert not reader.get_fields()
    assert "Ärlig" not in text and "Berglund-Öhman" in text and "4–6" in text
    # The form names the other documents' lines on its last page like the course lines:
    # the numbers are written beside the certificates only.
    assert "4–6" in reader.pages[1].extract_text()
    assert "4–6" not in reader.pages[2].extract_text()


def test_p14_numbers_are_written_as_runs():
    assert af.number_text([5, 3, 4, 9, 1]) == "1, 3–5, 9"
    assert af.number_text([]) == ""
