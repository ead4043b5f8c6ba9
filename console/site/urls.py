from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "Staff console: accounts"


@login_not_required
def health(request):
    """For `make run` and load balancers: says the console is up, nothing else."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", RedirectView.as_view(pattern_name="conversations:list", permanent=False)),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(success_url="/"), name="password_change"),
    path("conversations/", include("console.conversations.urls")),
    path("requests/", include("console.bookings.urls")),
    path("inbox/", include("console.inbox.urls")),
    path("overview/", include("console.overview.urls")),
    path("audit/", include("console.audit.urls")),
    path("admin/", admin.site.urls),
    path("healthz", health, name="health"),
]
