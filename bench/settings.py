"""Bench-only settings: the product's, plus one trivial view used as the yardstick (SPEC 7).

The registration rush compares the registration endpoint with a view that writes one row,
served by the same server in the same run. Nothing else differs from the product's settings:
the database, e-mail backend and connection age come from the environment as usual.
"""

from stportal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
