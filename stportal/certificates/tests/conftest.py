from stportal.attendance.tests.fixtures import *  # noqa: F403 - shared fixtures
