"""The page a locked-out login attempt gets (axes calls `locked_out`, see AXES_LOCKOUT_CALLABLE)."""
from django.conf import settings
from django.shortcuts import render


def locked_out(request, original_response=None, credentials=None):
    minutes = round(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    return render(request, "registration/locked_out.html", {
        "minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT,
    }, status=429)  # Too Many Requests
