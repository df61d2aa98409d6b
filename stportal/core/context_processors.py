from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from stportal.accounts.models import STAFF_ROLES, Region
from stportal.accounts.roles import roles_of
from stportal.core.permissions import active_region_id, all_staff_region_ids

# (url name, label, roles that see it; None = everyone logged in). Pages not yet wired are
# simply left out of the menu.
NAV = [
    ("courses:catalogue", _("Course weeks"), None),
    ("registrations:mine", _("My registrations"), {"trainee"}),
    ("accounts:my_st", _("My ST"), {"trainee"}),
    ("portfolio:my_coverage", _("My coverage"), {"trainee"}),
    (
        "portfolio:trainees",
        _("My ST trainees"),
        {"supervisor", "study_director", "regional_study_director"},
    ),
    (
        "accounts:completion_proposals",
        _("Planned completion dates"),
        {"study_director", "regional_study_director", "course_admin"},
    ),
    (
        "statements:index",
        _("Supervisor statements"),
        {"supervisor", "study_director", "regional_study_director"},
    ),
    ("accounts:trainees", _("Trainees"), {"course_admin", "regional_study_director"}),
    ("funding:mine", _("Training funds"), {"trainee"}),
    (
        "funding:to_decide",
        _("Funding applications"),
        {"study_director", "regional_study_director"},
    ),
    ("funding:spending", _("Training funds spent"), {"course_admin", "regional_study_director"}),
    ("staff:weeks", _("Course administration"), {"course_admin", "regional_study_director"}),
    ("staff:fees", _("Fees"), {"course_admin", "regional_study_director", "unit_manager"}),
    ("staff:unit", _("My home units"), {"unit_manager"}),
    (
        "attendance:courses",
        _("Course registers"),
        {"course_leader", "course_admin", "regional_study_director"},
    ),
    ("certificates:batches", _("Certificates"), {"regional_study_director", "course_admin"}),
    ("certificates:mine", _("My certificates"), {"trainee"}),
    ("catalogue:catalogue", _("Course catalogue"), None),
    ("stdays:index", _("ST-day certificates"), {"supervisor", "trainee"}),
    ("courses:info", _("Information"), None),
    ("faq:questions", _("Questions and answers"), None),
    ("accounts:api_tokens", _("My API tokens"), None),
]


def roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": [], "nav_links": []}
    held = roles_of(user)
    links = []
    for name, label, wanted in NAV:
        if wanted is not None and not (held & wanted) and not user.is_superuser:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        links.append({"url": url, "label": label, "current": False})
    # The current page is the link with the longest path the request starts with, so that
    # /kursadmin/avgifter/ marks "Fees", not also "Course administration".
    matching = [link for link in links if request.path.startswith(link["url"])]
    if matching:
        max(matching, key=lambda link: len(link["url"]))["current"] = True
    return {"user_roles": sorted(held), "nav_links": links, **_regions(user, held)}


def _regions(user, held: set[str]) -> dict:
    """For a person holding staff roles in several regions: those regions, and the one they
    work in now (None: all of them), for the switch in the page header (SPEC 2). Nothing is
    asked of the database for anyone who holds no staff role."""
    ids = all_staff_region_ids(user) if held & {str(role) for role in STAFF_ROLES} else ()
    if len(ids) < 2:
        return {"staff_regions": [], "active_region_id": None}
    return {
        "staff_regions": list(Region.objects.filter(pk__in=ids).order_by("name")),
        "active_region_id": active_region_id(user),
    }
