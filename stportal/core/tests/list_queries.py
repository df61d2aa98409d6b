"""Query counts of lists at two sizes (SPEC 7: no page issues more SQL queries when the data
grows), shared by the apps' `tests/test_list_query_counts.py`.

A module describes each list as a `Route`: who looks, where, how to bring the rows the list
shows to a given number, and what marks a row in the answer. `check_route` builds the rows up
to 10, loads the list once to warm it, counts the queries of one GET, does the same with 1,000
rows, and asserts that both counts are equal and that the rows are really shown.

The world is the authorisation matrix's (`matrix_world`, two regions with every role and an
object of every kind, each app's `extend` adding its own), built once per module in a
transaction that is rolled back; each route grows its rows in a savepoint of its own. Rows are
copied from one the services made (`copies`), with `bulk_create`: that is setup, not
behaviour, and it keeps the 1,000 rows cheap.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.contrib import admin
from django.db import connection, models, transaction
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from stportal.accounts.models import RoleAssignment, TraineeProfile, User
from stportal.core.tests.matrix_cases import matrix_extensions
from stportal.core.tests.matrix_world import NOW, World, build_world

SIZES = (10, 1000)


@dataclass(frozen=True)
class Route:
    """One list: the caller, the path, how to make the list show `n` rows, and how to tell
    that the answer shows them (`rows(text)` is the number of rows seen in the answer: all
    of them, or a page's worth for a paginated list)."""

    user: Callable[[World], User]
    path: Callable[[World], str]
    grow: Callable[[World, int], None]
    rows: Callable[[str], int]
    # A paginated list shows at most this many rows of the n.
    page: int | None = None
    # Rows of the world's other objects that the list shows besides the copies.
    extra: int = 0
    # Where the world holds rows of its own in numbers the test does not fix (the admin's
    # lists), the rows the answer must show once `grow` has run, instead of the above.
    expected: Callable[[World, int], int] | None = None


@dataclass
class Measured:
    queries: int
    rows: int


def world_fixture():
    """A module-scoped fixture: the matrix world with every app's objects, on the frozen
    day, rolled back at the end."""

    @pytest.fixture(scope="module")
    def world(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock(), time_machine.travel(NOW, tick=False):
            with transaction.atomic():
                built = build_world()
                for extension in matrix_extensions():
                    if hasattr(extension, "extend"):
                        extension.extend(built)
                yield built
                transaction.set_rollback(True)

    return world


def measure(user: User, path: str) -> tuple[list[str], str]:
    """The SQL of one GET of `path` as `user` after a warming GET, and the answer."""
    client = Client()
    client.force_login(user)
    warm = client.get(path)
    assert warm.status_code == 200, (path, warm.status_code, warm.content.decode()[:500])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.content.decode()[:500]
    return [query["sql"] for query in captured], response.content.decode()


def _repeated(statements: list[str]) -> str:
    """The statement run most often once numbers and quoted values are taken out: where an
    N+1 shows."""
    shapes = Counter(re.sub(r"'[^']*'|\b\d+\b", "?", sql) for sql in statements)
    shape, times = shapes.most_common(1)[0]
    return f"{times} times: {shape[:300]}"


def check_route(world: World, route: Route) -> tuple[Measured, Measured]:
    """Grows the rows to each size in turn, measures, and asserts SPEC 7: the same number of
    queries with 10 and with 1,000 rows, and every row (or a full page) shown."""
    found = []
    statements = []
    with time_machine.travel(NOW, tick=False):
        for size in SIZES:
            route.grow(world, size)
            if route.expected is not None:
                expected = route.expected(world, size)
            elif route.page is None:
                expected = size + route.extra
            else:
                expected = min(size, route.page)
            sql, text = measure(route.user(world), route.path(world))
            found.append(Measured(len(sql), route.rows(text)))
            statements.append(sql)
            shown = found[-1].rows
            assert shown == expected, f"{size} rows made, {shown} shown, {expected} expected"
    few, many = found
    assert many.queries == few.queries, (
        f"{few.queries} queries with 10 rows, {many.queries} with 1000; "
        f"most repeated: {_repeated(statements[1])}"
    )
    return few, many


def count_of(pattern: str) -> Callable[[str], int]:
    """The number of times `pattern` (a regular expression) occurs in the text."""
    compiled = re.compile(pattern)
    return lambda text: len(compiled.findall(text))


# --- Making rows -----------------------------------------------------------------------------


def _values(instance: models.Model) -> dict[str, Any]:
    return {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if not field.primary_key
    }


def copies(
    template: models.Model,
    count: int,
    *,
    vary: dict[str, Callable[[int], Any]] | None = None,
    children: Sequence[str] = (),
    many: Sequence[str] = (),
) -> list[models.Model]:
    """`count` copies of `template` in one `bulk_create`; `vary` gives fields a value per copy
    (by its number, from 0), `children` names reverse relations whose rows are copied for
    every copy too (a funding application's costs), and `many` many-to-many fields whose
    links are copied (a plan item's goals)."""
    if count <= 0:
        return []
    model = type(template)
    base = _values(template)
    made = []
    for number in range(count):
        values = dict(base)
        for name, value in (vary or {}).items():
            values[name] = value(number)
        made.append(model(**values))
    made = model.objects.bulk_create(made)
    for name in children:
        relation = model._meta.get_field(name)
        rows = list(getattr(template, relation.get_accessor_name()).all())
        parent = relation.field.attname
        related = relation.related_model
        related.objects.bulk_create(
            related(**{**_values(row), parent: copy.pk}) for copy in made for row in rows
        )
    for name in many:
        field = model._meta.get_field(name)
        through = field.remote_field.through
        own = field.m2m_field_name() + "_id"
        links = list(through.objects.filter(**{own: template.pk}))
        through.objects.bulk_create(
            through(**{**_values(link), own: copy.pk}) for copy in made for link in links
        )
    return made


def top_up(
    queryset: models.QuerySet, template: models.Model, size: int, **options: Any
) -> list[models.Model]:
    """Copies of `template` until `queryset` holds `size` rows."""
    return copies(template, size - queryset.count(), **options)


def grow_like(
    template_of: Callable[[World], models.Model],
    *,
    spread: bool = False,
    owner: str = "trainee_id",
    vary: dict[str, Callable[[int], Any]] | None = None,
    **options: Any,
) -> Callable[[World, int], None]:
    """A `Route.grow`: copies of the world's object (`template_of`) until it is there `size`
    times, counting itself; with `spread`, each copy belongs to a trainee of its own (like the
    world's owner), so that a list over many trainees grows too. The sizes come in rising
    order within one savepoint, so the copies made for the first size are still there."""
    made = {"count": 0}

    def grow(world: World, size: int) -> None:
        if size == SIZES[0]:
            made["count"] = 0
        missing = size - 1 - made["count"]
        if missing <= 0:
            return
        start = made["count"]
        varied = {name: _shifted(value, start) for name, value in (vary or {}).items()}
        if spread:
            trainees = more_trainees(world.a.owner, missing)
            varied[owner] = lambda n: trainees[n].pk
        copies(template_of(world), missing, vary=varied, **options)
        made["count"] += missing

    return grow


def _shifted(value: Callable[[int], Any], start: int) -> Callable[[int], Any]:
    return lambda n: value(start + n)


def json_count(*keys: str, **where: Any) -> Callable[[str], int]:
    """The items of a JSON list (under `keys` in the answer) whose fields have the values of
    `where`."""

    def rows(text: str) -> int:
        data = json.loads(text)
        for key in keys:
            data = data[key]
        return sum(1 for item in data if all(item.get(k) == v for k, v in where.items()))

    return rows


def distinct_of(pattern: str) -> Callable[[str], int]:
    """The number of different matches of `pattern` (a row's link, by its id)."""
    compiled = re.compile(pattern)
    return lambda text: len(set(compiled.findall(text)))


_serial = itertools.count(1)


def more_trainees(template: TraineeProfile, count: int) -> list[TraineeProfile]:
    """`count` trainees like `template` (home unit, supervisor, specialty, curriculum), each
    with a user of their own, a unique name and personal identity number, and the trainee
    role in the template's region."""
    if count <= 0:
        return []
    numbers = [next(_serial) for _ in range(count)]
    users = User.objects.bulk_create(
        User(
            username=f"kopia-{number}",
            email=f"kopia-{number}@example.org",
            first_name="Kopia",
            last_name=f"Kopiasson{number:05d}",
        )
        for number in numbers
    )
    profiles = copies(
        template,
        count,
        vary={
            "user_id": lambda n: users[n].pk,
            "personal_id": lambda n: f"19{numbers[n]:010d}",
        },
    )
    roles = RoleAssignment.objects.filter(user=template.user)
    RoleAssignment.objects.bulk_create(
        RoleAssignment(**{**_values(role), "user_id": user.pk}) for user in users for role in roles
    )
    return profiles  # type: ignore[return-value]


def cycle(items: Iterable[Any]) -> Callable[[int], Any]:
    """A `vary` value that goes round `items` (by number of the copy)."""
    listed = list(items)
    return lambda n: listed[n % len(listed)]


def admin_page_rows(model: type[models.Model], user_of: Callable[[World], User]):
    """A `Route.expected` for an admin list: the rows of the first page (100) of what the
    model's admin lets the user see."""

    def expected(world: World, size: int) -> int:
        request = RequestFactory().get("/admin/")
        request.user = user_of(world)
        return min(admin.site._registry[model].get_queryset(request).count(), 100)

    return expected


# One result row of an admin list: its first column is a header cell of the field's class.
ADMIN_ROW = r'<th class="field-'
