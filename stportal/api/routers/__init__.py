"""The API's routers, one per resource. Handlers parse, call a selector or service, serialise."""

from __future__ import annotations

from ninja import NinjaAPI

from stportal.api.routers import (
    annualreport,
    assessments,
    attendance,
    catalogue,
    certificates,
    completion,
    course_series,
    course_weeks,
    courses,
    faq,
    funding,
    home_units,
    me,
    plan,
    planned_completion,
    portfolio,
    registrations,
    secondments,
    statements,
    stdays,
    studytime,
    trainees,
)


def add_routers(api: NinjaAPI) -> None:
    api.add_router("/me", me.router)
    api.add_router("/course-series", course_series.router)
    api.add_router("/home-units", home_units.router)
    api.add_router("/trainees", trainees.router)
    api.add_router("/trainees", planned_completion.trainee_router)
    api.add_router("", planned_completion.router)
    api.add_router("/course-weeks", course_weeks.router)
    api.add_router("/courses", courses.router)
    api.add_router("", registrations.router)
    api.add_router("", attendance.router)
    api.add_router("", certificates.router)
    api.add_router("", catalogue.router)
    api.add_router("", faq.router)
    api.add_router("", funding.router)
    api.add_router("", statements.router)
    api.add_router("", stdays.router)
    api.add_router("", portfolio.router)
    api.add_router("", secondments.router)
    api.add_router("", plan.router)
    api.add_router("", studytime.router)
    api.add_router("", assessments.router)
    api.add_router("", annualreport.router)
    api.add_router("", completion.router)
