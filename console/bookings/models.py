"""Booking and callback requests.

`BookingRequest` is the action server's table (actions/booking_store.py), read and given a
status here; `StatusChange` is the console's record of who moved a request and when.
"""
from django.conf import settings
from django.db import models

STATUSES = [
    ("new", "New"),
    ("contacted", "Contacted"),
    ("booked", "Booked"),
    ("declined", "Declined"),
    ("no_answer", "No answer"),
]
STATUS_LABELS = dict(STATUSES)
OPEN_STATUSES = ("new", "contacted")


class BookingRequest(models.Model):
    id = models.AutoField(primary_key=True)
    reference = models.CharField(max_length=16, unique=True)
    kind = models.CharField(max_length=16)  # "booking", "callback" or "change"
    name = models.CharField(max_length=200)
    contact = models.CharField(max_length=320)
    requested_time = models.CharField(max_length=32, null=True)
    requested_time_text = models.CharField(max_length=200, null=True)
    note = models.TextField(null=True)
    conversation_id = models.CharField(max_length=255)
    status = models.CharField(max_length=32, default="new")
    created_at = models.DateTimeField()
    notified = models.BooleanField(default=False)
    urgent = models.BooleanField(default=False)  # the visitor reported a warning sign in its conversation
    contact_preference = models.CharField(max_length=200, null=True)  # "texts only please", "after 5pm"

    class Meta:
        managed = False
        db_table = "booking_requests"
        ordering = ["-created_at"]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


class StatusChange(models.Model):
    # No database constraint: the action server's table is not the console's to alter.
    request = models.ForeignKey(BookingRequest, on_delete=models.CASCADE, db_constraint=False, related_name="changes")
    old_status = models.CharField(max_length=32)
    new_status = models.CharField(max_length=32, choices=STATUSES)
    note = models.TextField(blank=True, max_length=2000)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at"]
