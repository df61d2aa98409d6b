"""Loaded by pytest before Django's settings: a secret for the test run only."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret")
