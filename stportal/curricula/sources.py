"""Where coverage items come from (SPEC 5 P1). Each app of the record that holds something
that covers a goal or subject registers a source in its `AppConfig.ready()`; the coverage
selectors ask them all. Curricula sit below those apps, so the apps come to it, not the
other way round.

A source is `fn(trainee_ids) -> {trainee_id: [Covering, ...]}` and answers in a constant
number of queries whatever the number of trainees.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection

from stportal.curricula.coverage import Covering

CoverageSource = Callable[[Collection[int]], dict[int, list[Covering]]]

_SOURCES: dict[str, CoverageSource] = {}


def register_coverage_source(name: str, source: CoverageSource) -> None:
    """Register (or replace) the source called `name`."""
    _SOURCES[name] = source


def coverage_items(trainee_ids: Collection[int]) -> dict[int, list[Covering]]:
    """Everything that covers something, per trainee, from every registered source."""
    found: dict[int, list[Covering]] = defaultdict(list)
    if not trainee_ids:
        return {}
    for name in sorted(_SOURCES):
        for trainee_id, items in _SOURCES[name](trainee_ids).items():
            found[trainee_id].extend(items)
    return dict(found)
