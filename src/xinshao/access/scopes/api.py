"""The REST API: a token acts as its owner, so what it reaches is decided by the other modules here."""
from xinshao.accounts.roles import Role

from .base import roles_of

# Students, guardians and outside applicants answer and read through their own pages, not systems.
_NOT_INTEGRATORS = {Role.STUDENT, Role.PSYCH_COMMITTEE, Role.GUARDIAN, Role.ACTIVITY_APPLICANT}


def can_offer_api_tokens(user) -> bool:
    """Whom the menu offers the token page: staff and clinicians, who connect other systems. Anyone
    signed in may still make a token at its address; it never reaches more than they do."""
    return bool(roles_of(user) - _NOT_INTEGRATORS)
