"""What every console page shows: the user's role, the clinic's name, and, to staff, a banner
when clinic_profile.yml does not load (a typo there should not wait for someone to read a log)."""
from actions.clinic_profile import load_profile, profile_problem
from actions.settings import profile_path
from console.common.roles import is_admin


def _profile(request):
    """(profile or None, what is wrong with the file or ""), worked out once per request."""
    if not hasattr(request, "_console_profile"):
        try:
            # load_profile serves the last version that loaded when the file is broken; profile_problem
            # says why it is (with the line), from the same cached read.
            request._console_profile = (load_profile(), profile_problem() or "")
        except Exception as error:  # a mistake the loader does not catch itself must not take the console down
            request._console_profile = (None, str(error))
    return request._console_profile


def console(request):
    profile, problem = _profile(request)
    return {
        "is_admin": is_admin(request.user),
        "clinic_name": profile.name if profile else "the clinic",
        "profile_problem": problem,
        "profile_file": profile_path().name,
    }
