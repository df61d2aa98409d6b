"""Back office for curricula: versions, goals, specialties and mandatory subjects (P1).

Editable seed data (Appendix B): staff correct a title or add a specialty's goals without a
release, and every edit keeps its history. Curricula are shared by every region, so only a
superuser deletes a row (a goal removed would silently leave the courses that cover it).
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from stportal.core.admin import StaffHistoryAdmin
from stportal.curricula.models import CurriculumVersion, Goal, MandatorySubject, Specialty


class CurriculaAdmin(StaffHistoryAdmin):
    region_lookup = None
    allow_delete = True
    superuser_only = frozenset({"delete"})


@admin.register(CurriculumVersion)
class CurriculumVersionAdmin(CurriculaAdmin):
    superuser_only = frozenset({"add", "delete"})
    list_display = ("code", "regulation", "name", "goal_numbers_per_specialty", "goal_count")
    search_fields = ("code", "regulation", "name")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_goals=Count("goals"))

    @admin.display(description=_("goals"), ordering="_goals")
    def goal_count(self, version: CurriculumVersion) -> int:
        return version._goals


@admin.register(Specialty)
class SpecialtyAdmin(CurriculaAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")
    prepopulated_fields = {"code": ("name",)}


@admin.register(Goal)
class GoalAdmin(CurriculaAdmin):
    list_display = ("code", "title", "version", "kind", "specialty", "position")
    list_filter = ("version", "kind", ("specialty", admin.RelatedOnlyFieldListFilter))
    search_fields = ("code", "title", "specialty__name")
    list_select_related = ("version", "specialty")
    ordering = ("version__code", "position", "code")


@admin.register(MandatorySubject)
class MandatorySubjectAdmin(CurriculaAdmin):
    list_display = ("name", "specialty", "version", "goal_codes", "goal_note", "position")
    list_filter = ("specialty", "version")
    search_fields = ("name", "goals__code", "goal_note")
    list_select_related = ("specialty", "version")
    filter_horizontal = ("goals",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("goals")

    @admin.display(description=_("goals"))
    def goal_codes(self, subject: MandatorySubject) -> str:
        return ", ".join(goal.code for goal in subject.goals.all())
