"""Who may see a dossier: its applicant (after filing or after a lookup with code and id number
in this browser session) and officers whose scope holds it (``selectors.dossiers_for_user``:
their own agency's dossiers, every dossier for provincial administrators).

The session keeps at most ``MAX_REMEMBERED`` codes, so a shared computer forgets old ones.
"""

from django.http import HttpRequest

from services.dossiers.selectors import dossiers_for_user

SESSION_KEY = "dossier_access"
MAX_REMEMBERED = 20


def grant_access(request: HttpRequest, code: str) -> None:
    """Remembers in this browser session that its user proved to own dossier ``code``."""
    codes = [c for c in request.session.get(SESSION_KEY, []) if c != code]
    request.session[SESSION_KEY] = (codes + [code])[-MAX_REMEMBERED:]


def has_access(request: HttpRequest, code: str) -> bool:
    """True for the dossier's applicant in this session and for officers whose scope holds ``code``.

    Staff rights alone are not enough: an officer of another agency, even with
    ``services.view_dossier``, is treated like a stranger (Decree 61/2018 Art 8–12: each agency
    handles its own dossiers), so the public file, receipt and PDF URLs answer 404 to them.
    """
    if code in request.session.get(SESSION_KEY, []):
        return True
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return False
    return dossiers_for_user(user).filter(code=code).exists()
