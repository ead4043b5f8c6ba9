"""Every console URL needs a login; staff and admin rights; CSRF on every form."""
import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from console.conftest import add_conversation, add_request
from console.conversations.event_factory import Turn
from console.conversations.models import Conversation, Event
from console.conversations.sync import sync

PUBLIC = {"login", "health"}  # the login page itself, and a health check that says only "ok"


def console_urls():
    """Every named URL of the console (not Django's admin, which has its own login), with sample arguments."""
    found = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                walk(pattern.url_patterns, prefix + (pattern.namespace + ":" if pattern.namespace else ""))
            elif isinstance(pattern, URLPattern) and pattern.name:
                found.append(prefix + pattern.name)
    walk(get_resolver().url_patterns)
    return found


def sample_url(name):
    args = {"pk": 1, "name": "activity"}
    from django.urls import NoReverseMatch
    for keys in ([], ["pk"], ["name"]):
        try:
            return reverse(name, kwargs={k: args[k] for k in keys})
        except NoReverseMatch:
            continue
    raise AssertionError(f"no sample arguments for {name}")


@pytest.fixture
def some_data(db):
    add_conversation("visitor-a", [Turn("how much is it? call me at 770-555-0134", "ask_price")])
    sync()
    add_request("visitor-a")


@pytest.mark.django_db
def test_the_url_list_covers_every_page():
    names = console_urls()
    assert {"conversations:list", "conversations:detail", "bookings:export", "inbox:download", "overview:chart"} <= set(names)


@pytest.mark.parametrize("name", [n for n in console_urls() if n.split(":")[-1] not in PUBLIC])
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_get_the_login_page_never_data(client, some_data, name, method):
    response = getattr(client, method)(sample_url(name))
    assert response.status_code in (302, 403), f"{name} answered {response.status_code}"
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"555-0134" not in body and b"visitor-a" not in body


def test_health_check_says_nothing_else(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200 and response.content == b"ok"


def test_login_with_the_wrong_password_fails_and_the_right_one_works(client, staff_user):
    response = client.post(reverse("login"), {"username": "sam", "password": "wrong"})
    assert response.status_code == 200 and b"didn't match" in response.content
    response = client.post(reverse("login"), {"username": "sam", "password": "sam-staff-password-1"})
    assert response.status_code == 302
    assert client.get(reverse("conversations:list")).status_code == 200


def test_passwords_are_stored_hashed(staff_user):
    assert staff_user.password.startswith("pbkdf2_sha256$") and "sam-staff-password-1" not in staff_user.password


def test_staff_cannot_delete_conversations_or_manage_accounts(staff_client, some_data):
    conversation = Conversation.objects.get(sender_id="visitor-a")
    response = staff_client.post(reverse("conversations:delete", args=[conversation.pk]))
    assert response.status_code == 403
    assert Event.objects.filter(sender_id="visitor-a").exists()
    response = staff_client.get("/admin/auth/user/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert b"Delete conversation" not in staff_client.get(reverse("conversations:detail", args=[conversation.pk])).content


def test_admins_can_delete_and_manage_accounts(admin_client, some_data):
    conversation = Conversation.objects.get(sender_id="visitor-a")
    assert b"Delete conversation" in admin_client.get(reverse("conversations:detail", args=[conversation.pk])).content
    assert admin_client.get("/admin/auth/user/").status_code == 200
    response = admin_client.post(reverse("conversations:delete", args=[conversation.pk]))
    assert response.status_code == 302
    assert not Event.objects.filter(sender_id="visitor-a").exists()


@pytest.mark.parametrize("name, data", [
    ("conversations:tags", {"tags": "x"}),
    ("conversations:note", {"text": "x"}),
    ("conversations:review", {"reviewed": "1"}),
    ("conversations:delete", {}),
    ("inbox:decide", {"decision": "dismiss"}),
    ("bookings:detail", {"status": "contacted"}),
    ("logout", {}),
])
def test_forms_without_a_csrf_token_are_refused(client, admin_user, some_data, name, data):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(admin_user)
    pk = {"conversations:tags": Conversation.objects.get().pk, "conversations:note": Conversation.objects.get().pk,
          "conversations:review": Conversation.objects.get().pk,
          "conversations:delete": Conversation.objects.get().pk,
          "inbox:decide": Conversation.objects.get().messages.get().pk}.get(name)
    if name == "bookings:detail":
        from console.bookings.models import BookingRequest
        pk = BookingRequest.objects.get().pk
    url = reverse(name, args=[pk]) if pk else reverse(name)
    assert csrf_client.post(url, data).status_code == 403
