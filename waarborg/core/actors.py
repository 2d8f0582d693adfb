"""Who acts: a person's account, the system (a job or a command), or an API client.

Every service takes an `actor`. It is one of three things, never a bare string or None:

- an account (`accounts.Account`): a staff member or a customer's contact person, with a role;
- `System(name)`: a scheduled job, a command run by an operator on the server, or a step the
  system takes on its own (a link followed from a mail); its name goes into the audit trail;
- `ApiClient(prefix, scopes)`: an integration calling the API, with exactly the scopes of its
  token; the audit trail names it `api:<prefix>`.

The audit trail records the actor as `account:<pk>`, the system's name, or `api:<prefix>`
(`actor_label`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:  # the account model lives in a domain app; core only names its type
    from waarborg.accounts.models import Account

_NAME = re.compile(r"[a-z][a-z0-9._:-]{0,63}")


@dataclass(frozen=True)
class System:
    """The system acting: a job, a command or a step nobody signed in for. `name` is what the
    audit trail records (`system`, `cli`, `scheduler`, a job's name)."""

    name: str = "system"

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not _NAME.fullmatch(self.name):
            raise ValueError("a system actor's name is lower-case letters, digits and . _ : -")

    @property
    def label(self) -> str:
        return self.name


@dataclass(frozen=True)
class ApiClient:
    """An API client acting through its token: `prefix` names the token, `scopes` are what it may do."""

    prefix: str
    scopes: frozenset[str] = field(default_factory=frozenset)
    name: str = ""  # the client's name (the token's `name`), not personal data

    def __post_init__(self) -> None:
        object.__setattr__(self, "scopes", frozenset(self.scopes))

    @property
    def label(self) -> str:
        return f"api:{self.prefix}"

    def may(self, scope: str) -> bool:
        return scope in self.scopes


Actor = Union["Account", System, ApiClient]

SYSTEM = System("system")
CLI = System("cli")


def is_system(actor) -> bool:
    return isinstance(actor, System)


def is_account(actor) -> bool:
    """An account of a person (staff or customer): a saved model instance with a role."""
    return hasattr(actor, "_meta") and getattr(actor._meta, "label", "") == "accounts.Account"


def require_actor(actor) -> None:
    """Refuse anything that is not an Actor: a string or None never stands for the system."""
    if not (isinstance(actor, (System, ApiClient)) or is_account(actor)):
        raise TypeError(f"an actor is an Account, System(name) or ApiClient, not {type(actor).__name__}")


def actor_label(actor) -> str:
    """The audit trail's name for `actor`."""
    require_actor(actor)
    if isinstance(actor, (System, ApiClient)):
        return actor.label
    return f"account:{actor.pk}"


def account_of(actor):
    """The account behind `actor`, or None for the system and API clients."""
    return actor if is_account(actor) else None
