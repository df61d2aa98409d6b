"""Audit events: who did what, when, before and after (SPEC 7, STYLE rule 5)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One change made by a service, written in the same transaction as the change."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80)
    object_id = models.CharField(_("object id"), max_length=40)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class BarrierReport(models.Model):
    """A barrier someone met on the site, reported from the accessibility statement (the
    feedback the Swedish DOS law asks of a public-sector web service)."""

    at = models.DateTimeField(_("reported"), auto_now_add=True, db_index=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    page = models.CharField(_("page"), max_length=300, blank=True)
    description = models.TextField(_("what did not work"), max_length=2_000)
    email = models.EmailField(_("e-mail address for an answer"), blank=True)
    language = models.CharField(_("language"), max_length=5, blank=True)

    class Meta:
        verbose_name = _("accessibility barrier report")
        verbose_name_plural = _("accessibility barrier reports")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.page}"
