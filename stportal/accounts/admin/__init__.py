"""Back office for people, regions, areas, home units and roles (SPEC 2).

Reference data keeps its history (django-simple-history). New home units, trainees and role
assignments are made by the services, which validate them and write the audit event.
Personal identity numbers are shown masked and are never printed in the history (SPEC 7).

Django's admin autodiscovery imports this package; importing each module registers its
models with the admin site.
"""

from stportal.accounts.admin.organisation import (
    AreaAdmin,
    HomeUnitAdmin,
    HomeUnitForm,
    HomeUnitInline,
    HomeUnitInlineForm,
    HomeUnitInlineFormSet,
    RegionAdmin,
)
from stportal.accounts.admin.people import StaffUserCreationForm, UserAdmin
from stportal.accounts.admin.roles import (
    RoleAssignmentAdmin,
    RoleAssignmentForm,
    RoleAssignmentInline,
)
from stportal.accounts.admin.tokens import ApiTokenAdmin
from stportal.accounts.admin.trainees import (
    FindTraineeForm,
    PlannedCompletionChangeAdmin,
    PlannedCompletionChangeInline,
    TraineeAddForm,
    TraineeChangeForm,
    TraineeProfileAdmin,
)

__all__ = [
    "ApiTokenAdmin",
    "AreaAdmin",
    "FindTraineeForm",
    "HomeUnitAdmin",
    "HomeUnitForm",
    "HomeUnitInline",
    "HomeUnitInlineForm",
    "HomeUnitInlineFormSet",
    "PlannedCompletionChangeAdmin",
    "PlannedCompletionChangeInline",
    "RegionAdmin",
    "RoleAssignmentAdmin",
    "RoleAssignmentForm",
    "RoleAssignmentInline",
    "StaffUserCreationForm",
    "TraineeAddForm",
    "TraineeChangeForm",
    "TraineeProfileAdmin",
    "UserAdmin",
]
