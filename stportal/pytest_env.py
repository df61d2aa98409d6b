"""Loaded by pytest before Django's settings: a secret for the test run only."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret")
os.environ.setdefault("STPORTAL_FAST_PASSWORD_HASHER", "true")
# No mail worker runs in the tests: e-mail is sent after each action's commit, as before the
# worker; the outbox's own tests switch this off to test the worker.
os.environ.setdefault("STPORTAL_SEND_MAIL_INLINE", "true")
