"""Who saw or touched which patient record, and when: the console's audit log.

An entry names its object by text (a conversation's sender id, a request's reference), not by a
foreign key: deleting the conversation must leave the record of who read it and who deleted it.
"""
from django.conf import settings
from django.db import models
from django.utils import timezone


class Action(models.TextChoices):
    VIEWED = "viewed", "viewed"
    EXPORTED = "exported", "exported"
    CHANGED = "changed", "changed"
    DELETED = "deleted", "deleted"


class ObjectKind(models.TextChoices):
    CONVERSATION = "conversation", "conversation"
    REQUEST = "request", "request"
    CORRECTION = "correction", "correction"


class AuditEntry(models.Model):
    at = models.DateTimeField("when", default=timezone.now, db_index=True)
    # The username is kept as text too: the entry outlives a deleted account.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    username = models.CharField(max_length=150, db_index=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    object_kind = models.CharField(max_length=16, choices=ObjectKind.choices)
    object_id = models.CharField(max_length=255, blank=True, db_index=True)  # blank: an export of many
    detail = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "audit entry"
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.username} {self.action} {self.object_kind} {self.object_id}"
