"""Staff decisions on visitor messages the model got wrong or was unsure of."""
from django.conf import settings
from django.db import models

from console.conversations.models import VisitorMessage


class Review(models.Model):
    PENDING, LABELLED, DISMISSED = "pending", "labelled", "dismissed"
    STATES = [(PENDING, "Waiting"), (LABELLED, "Labelled"), (DISMISSED, "Dismissed")]

    message = models.OneToOneField(VisitorMessage, on_delete=models.CASCADE, related_name="review")
    state = models.CharField(max_length=16, choices=STATES, default=PENDING, db_index=True)
    # the intent staff chose (the predicted one when they confirmed it); out_of_scope is an intent too
    intent = models.CharField(max_length=64, blank=True)
    flagged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    flagged_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    @property
    def corrected(self) -> bool:
        return self.state == self.LABELLED and self.intent != self.message.intent
