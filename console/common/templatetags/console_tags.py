from django import template

from console.common.masking import mask_contacts

register = template.Library()


@register.filter
def masked(text):
    """{{ text|masked }}: phone numbers and emails hidden (list views)."""
    return mask_contacts(str(text or ""))


@register.filter
def percent(value):
    return "" if value is None else f"{value * 100:.0f}%"


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters changed (pagination links keep the filters)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode() if params else "?"
