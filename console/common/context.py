from console.common.roles import is_admin


def _clinic_name() -> str:
    from actions.clinic_profile import load_profile

    try:
        return load_profile().name
    except Exception:  # a malformed profile is reported by the action server; the console still works
        return "the clinic"


def console(request):
    return {"is_admin": is_admin(request.user), "clinic_name": _clinic_name()}
