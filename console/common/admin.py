from django.contrib import admin

# The admin site manages staff accounts; only admins (superusers) may use it.
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser
