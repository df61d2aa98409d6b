"""Reads of the course catalogue with a business meaning."""

from __future__ import annotations

from stportal.catalogue.models import Provider, ProviderKind


def provider_named(*, region_id: int, name: str) -> Provider | None:
    """The region's provider of this name (case and surrounding spaces ignored), or None."""
    return Provider.objects.filter(region_id=region_id, name__iexact=name.strip()).first()


def provider_is_preferred(*, region_id: int, name: str) -> bool:
    """Whether a course of this provider needs no exception (P2): only the region's preferred
    providers; an unknown provider is an *other* provider."""
    provider = provider_named(region_id=region_id, name=name)
    return provider is not None and provider.kind == ProviderKind.PREFERRED
