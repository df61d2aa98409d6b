"""The `id` path converter every urls.py and API router uses for object ids (finding 8).

Django's `int` converter matches any run of digits: an id past the 64-bit range of the
databases' keys reached the view. `id` matches only 1..2^63-1, so such a URL is simply an
address that does not exist: 404, from the web pages and the API alike.
"""

from __future__ import annotations

from django.urls import register_converter
from django.urls.converters import get_converters

from stportal.core.bounds import MAX_ID


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError(value)  # Django tries the next pattern, and answers 404 at the end
        return number

    def to_url(self, value: int | str) -> str:
        return str(int(value))


def register() -> None:
    if "id" not in get_converters():
        register_converter(IdConverter, "id")
