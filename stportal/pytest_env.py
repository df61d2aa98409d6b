"""Loaded by pytest before Django's settings: a secret for the test run only."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret")
os.environ.setdefault("STPORTAL_FAST_PASSWORD_HASHER", "true")
