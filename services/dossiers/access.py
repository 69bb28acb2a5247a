"""Who may see a dossier: its applicant (after filing or after a lookup with code and id number
in this browser session) and staff allowed to view dossiers.

The session keeps at most ``MAX_REMEMBERED`` codes, so a shared computer forgets old ones.
"""

from django.http import HttpRequest

SESSION_KEY = "dossier_access"
MAX_REMEMBERED = 20


def grant_access(request: HttpRequest, code: str) -> None:
    """Remembers in this browser session that its user proved to own dossier ``code``."""
    codes = [c for c in request.session.get(SESSION_KEY, []) if c != code]
    request.session[SESSION_KEY] = (codes + [code])[-MAX_REMEMBERED:]


def has_access(request: HttpRequest, code: str) -> bool:
    """True for the dossier's applicant in this session and for staff with ``services.view_dossier``."""
    if code in request.session.get(SESSION_KEY, []):
        return True
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.has_perm("services.view_dossier"))
