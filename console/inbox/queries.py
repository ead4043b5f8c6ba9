from django.conf import settings
from django.db.models import Q

from console.conversations.models import VisitorMessage
from console.inbox.models import Review

REASONS = [("", "every reason"), ("fallback", "bot fell back"), ("unsure", "bot was unsure"), ("flagged", "flagged by staff")]


def reason_filters(threshold: float) -> dict:
    return {
        "fallback": Q(is_fallback=True),
        # inside a form the form itself reads names, numbers and times: a low score there is expected
        "unsure": Q(is_fallback=False, is_button=False, in_form=False, confidence__lt=threshold),
        "flagged": Q(review__flagged_at__isnull=False),
    }


def waiting(reason: str = "", threshold: float | None = None):
    """Visitor messages waiting for a staff decision."""
    filters = reason_filters(settings.CONSOLE_LOW_CONFIDENCE if threshold is None else threshold)
    if reason in filters:
        condition = filters[reason]
    else:
        condition = filters["fallback"] | filters["unsure"] | filters["flagged"]
    return (VisitorMessage.objects.filter(condition)
            .filter(Q(review__isnull=True) | Q(review__state=Review.PENDING))
            .exclude(text=""))


def decided():
    return VisitorMessage.objects.filter(review__state__in=[Review.LABELLED, Review.DISMISSED])
