"""Breach pages: recording a breach of the conflicts of interest policy."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect

from cocomm.views import AuthenticatedRequest
from conflicts import services
from conflicts.forms.breaches import BreachForm
from conflicts.views._common import _form_page, _keeper_ccg, _register_crumbs, _register_url


@login_required
def breach_create(request: AuthenticatedRequest, ods_code: str) -> HttpResponse:
    ccg = _keeper_ccg(request, ods_code)
    form = BreachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.breach_record(ccg=ccg, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(request, "The breach is on the register.")
            return redirect(_register_url(ccg, "breaches"))
    return _form_page(
        request,
        {
            "form": form,
            "title": "Record a breach of the conflicts of interest policy",
            "caption": ccg.name,
            "intro": "Breaches are reported to the Conflicts of Interest Guardian and to NHS England in the "
            "assurance pack.",
            "button": "Record the breach",
            "cancel": ("the registers", _register_url(ccg, "breaches")),
            "crumbs": _register_crumbs(ccg),
        },
    )
