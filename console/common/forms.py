def valid_fields(form) -> dict:
    """A filter form's fields that validated: one bad field (shown with its error) does not
    silently drop the others."""
    if not form.is_bound:
        return {}
    form.is_valid()
    return form.cleaned_data
