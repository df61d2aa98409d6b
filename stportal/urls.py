from django.contrib import admin
from django.urls import include, path

from stportal.accounts import views as account_views
from stportal.api.api import api
from stportal.core import views as core_views
from stportal.notifications import health as notification_health

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", notification_health.readyz, name="readyz"),
    path("tillganglighet/", core_views.accessibility, name="accessibility"),
    path("", include("stportal.courses.urls")),
    path("", include("stportal.registrations.urls")),
    path("kursadmin/", include("stportal.registrations.staff_urls")),
    path("kursadmin/", include("stportal.courses.staff_urls")),
    path("intyg/", include("stportal.certificates.urls")),
    path("narvaro/", include("stportal.attendance.urls")),
    path("konto/", include("stportal.accounts.urls")),
    path("kurskatalog/", include("stportal.catalogue.urls")),
    path("fragor/", include("stportal.faq.urls")),
    path("st-medel/", include("stportal.funding.urls")),
    path("handledarutlatanden/", include("stportal.statements.urls")),
    path("st-dagar/", include("stportal.stdays.urls")),
    path("st/", include("stportal.portfolio.urls")),
    path("sidotjanstgoring/", include("stportal.secondments.urls")),
    path("utbildningsplan/", include("stportal.plan.urls")),
    path("studietid/", include("stportal.studytime.urls")),
    path("bedomningar/", include("stportal.assessments.urls")),
    path("arsrapporter/", include("stportal.annualreport.urls")),
    path("specialistansokan/", include("stportal.completion.urls")),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    # No self sign-up through single sign-on either (allauth's page for it, answered here).
    path("accounts/3rdparty/signup/", account_views.sso_signup_closed),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
