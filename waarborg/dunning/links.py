"""The links every notice carries: pay, contest, ask for a person.

The contest and person links hold a signed token naming the decision the notice was sent for;
each can be used once (Contest.via_decision + kind is unique). The portal's pages for them live
at the paths below; `contest_submit(token=...)` is the service they call.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing

from waarborg.core.errors import ValidationError

SALT = "waarborg.dunning.link"
PAY_PATH = "/portaal/facturen/"
CONTEST_PATH = "/portaal/incasso/bezwaar/{token}/"
PERSON_PATH = "/portaal/incasso/persoon/{token}/"
ACTIONS = {"contest": "c", "person": "p"}


def site_url() -> str:
    return str(getattr(settings, "WAARBORG_SITE_URL", "") or "http://localhost:8000").rstrip("/")


def make_token(decision_id: int, kind: str) -> str:
    """The same token for the same decision and kind, every time it is shown (no timestamp)."""
    return signing.Signer(salt=SALT).sign_object([int(decision_id), ACTIONS[kind]])


def read_token(token: str) -> tuple[int, str]:
    """(decision id, kind) from a token; ValidationError when it is not one of ours."""
    try:
        decision_id, action = signing.Signer(salt=SALT).unsign_object(str(token or ""))
    except (signing.BadSignature, ValueError, TypeError):
        raise ValidationError("dunning.link_invalid", field="token") from None
    kinds = {v: k for k, v in ACTIONS.items()}
    if action not in kinds or not isinstance(decision_id, int):
        raise ValidationError("dunning.link_invalid", field="token")
    return decision_id, kinds[action]


def links_for(decision_id: int) -> dict[str, str]:
    base = site_url()
    return {
        "pay": base + PAY_PATH,
        "contest": base + CONTEST_PATH.format(token=make_token(decision_id, "contest")),
        "person": base + PERSON_PATH.format(token=make_token(decision_id, "person")),
    }
