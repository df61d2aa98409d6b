"""The information page of a region (C21)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from stportal.core import errors
from stportal.courses import info_services
from stportal.registrations import staff_selectors as sel
from stportal.registrations.staff_forms import InformationPageForm
from stportal.registrations.staff_views.common import staff_page


@staff_page
def information_edit(request: HttpRequest) -> HttpResponse:
    user = request.user
    regions = sel.information_regions(user)
    wanted = request.POST.get("region") or request.GET.get("region")
    region = next((r for r in regions if str(r.pk) == wanted), regions[0])
    page = sel.information_page_of(region)
    if request.method == "POST":
        form = InformationPageForm(request.POST)
        if form.is_valid():
            try:
                info_services.save_information_page(actor=user, region=region, **form.cleaned_data)
            except errors.ValidationFailed as exc:
                for name, found in exc.fields.items():
                    for message in found:
                        form.add_error(name if name in form.fields else None, message)
            else:
                messages.success(
                    request,
                    _("The information page of %(region)s is saved.") % {"region": region.name},
                )
                url = reverse("staff:info_edit")
                if len(regions) > 1:
                    url += "?" + urlencode({"region": region.pk})
                return redirect(url)
    else:
        initial = (
            {name: getattr(page, name) for name in info_services.EDITABLE_FIELDS}
            if page
            else {"title": _("The course programme for ST trainees")}
        )
        form = InformationPageForm(initial=initial)
    return render(
        request,
        "staff/information.html",
        {
            "form": form,
            "page": page,
            "region": region,
            "regions": regions,
            "bound_form": form if form.is_bound and form.errors else None,
        },
    )
