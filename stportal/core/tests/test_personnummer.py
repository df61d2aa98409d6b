"""Personal identity numbers (Appendix B): checksum, century sign, samordningsnummer."""

import datetime as dt

import pytest

from stportal.core import personnummer

TODAY = dt.date(2026, 11, 30)


@pytest.mark.parametrize(
    "text",
    ["19811218-9876", "198112189876", "811218-9876", "8112189876", " 811218 - 9876 "],
)
def test_common_input_forms_normalise_to_twelve_digits(text):
    assert personnummer.normalise(text, today=TODAY) == "198112189876"


def test_invalid_check_digit_is_refused():
    with pytest.raises(personnummer.InvalidPersonnummer, match="Kontrollsiffran"):
        personnummer.parse("19811218-9875", today=TODAY)


def test_samordningsnummer_adds_sixty_to_the_day():
    # Day 78 = the 18th plus 60; the Luhn digit is computed over 701278258.
    number = personnummer.parse("701278-2582", today=TODAY)
    assert number.coordination is True
    assert number.birth_date == dt.date(1970, 12, 18)
    assert number.long == "197012782582"


def test_plus_sign_means_the_person_has_turned_100():
    number = personnummer.parse("121212+1212", today=TODAY)
    assert number.year == 1912
    assert personnummer.parse("121212-1212", today=TODAY).year == 2012


def test_impossible_date_is_refused():
    with pytest.raises(personnummer.InvalidPersonnummer):
        personnummer.parse("19810231-0000", today=TODAY)


def test_garbage_is_refused_with_the_expected_format():
    with pytest.raises(personnummer.InvalidPersonnummer, match="Ogiltigt format"):
        personnummer.parse("hello", today=TODAY)


def test_masking_hides_the_last_four_digits():
    assert personnummer.mask("198112189876") == "19811218-****"
