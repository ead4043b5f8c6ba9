"""Two roles. Staff (any active account) review conversations, work the request queue and
correct the bot; admins (superusers) also manage accounts and delete data."""
from functools import wraps

from django.core.exceptions import PermissionDenied


def is_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def admin_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_admin(request.user):
            raise PermissionDenied("Only an admin can do this.")
        return view(request, *args, **kwargs)
    return wrapped
