from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render

from console.audit.models import AuditEntry
from console.common.forms import valid_fields
from console.common.roles import admin_required


class AuditFilter(forms.Form):
    user = forms.CharField(required=False, max_length=150, label="Staff member (username)")
    object_id = forms.CharField(required=False, max_length=255,
                                label="Object id (conversation id, request reference, message number)")

    def filter(self, entries):
        data = valid_fields(self)
        if data.get("user"):
            entries = entries.filter(username__iexact=data["user"])
        if data.get("object_id"):
            entries = entries.filter(object_id=data["object_id"])
        return entries


@admin_required
def audit_log(request):
    form = AuditFilter(request.GET or None)
    page = Paginator(form.filter(AuditEntry.objects.all()), settings.CONSOLE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"form": form, "page": page})
