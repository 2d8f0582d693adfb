"""The cast of the tests: two customers and one staff member per role.

- alice: a private person, customer and her own contact person, with a portal account;
- bob: contact person of an organisation (Bakkerij Jansen B.V.), with a portal account;
- carol (support), dave (finance), erin (privacy officer), frank (administrator);
- gina (fiscal archive), made only when a test asks for her.
"""

from __future__ import annotations

from dataclasses import dataclass

from waarborg.accounts.models import Account
from waarborg.core import roles
from waarborg.customers.models import Contact, Customer
from waarborg.testing import factories as f


@dataclass
class Personas:
    alice: Account
    bob: Account
    carol: Account
    dave: Account
    erin: Account
    frank: Account

    @property
    def alice_customer(self) -> Customer:
        return self.alice.contact.customer

    @property
    def bob_customer(self) -> Customer:
        return self.bob.contact.customer

    @property
    def alice_contact(self) -> Contact:
        return self.alice.contact

    @property
    def bob_contact(self) -> Contact:
        return self.bob.contact

    @property
    def gina(self) -> Account:
        """The fiscal archive keeper (finance_archive), made on first use: most tests never meet her."""
        if not hasattr(self, "_gina"):
            self._gina = f.StaffAccountFactory(
                email="gina@duinhost.example", role=roles.FINANCE_ARCHIVE, display_name="Gina"
            )
        return self._gina

    def by_role(self) -> dict[str, Account]:
        """One viewer per role: the customer role is played by alice."""
        return {
            roles.CUSTOMER: self.alice,
            roles.SUPPORT: self.carol,
            roles.FINANCE: self.dave,
            roles.PRIVACY: self.erin,
            roles.ADMIN: self.frank,
            roles.FINANCE_ARCHIVE: self.gina,
        }


def make_personas() -> Personas:
    alice_customer = f.CustomerFactory(private=True, name="Alice de Vries")
    alice_contact = f.ContactFactory(
        customer=alice_customer,
        first_name="Alice",
        last_name="de Vries",
        street="Lindenlaan 7",
        postcode="3521 AB",
        town="Utrecht",
        email="alice.devries@example.nl",
        phone="+31612345678",
    )
    bob_customer = f.CustomerFactory(name="Bakkerij Jansen B.V.", kvk_number="87654321")
    bob_contact = f.ContactFactory(
        customer=bob_customer,
        first_name="Bob",
        last_name="Jansen",
        street="Bakkersweg 3",
        postcode="9711 CD",
        town="Groningen",
        email="bob@bakkerijjansen.example",
        phone="+31503123456",
    )
    return Personas(
        alice=f.AccountFactory(email=alice_contact.email, contact=alice_contact),
        bob=f.AccountFactory(email=bob_contact.email, contact=bob_contact),
        carol=f.StaffAccountFactory(email="carol@duinhost.example", role=roles.SUPPORT, display_name="Carol"),
        dave=f.StaffAccountFactory(email="dave@duinhost.example", role=roles.FINANCE, display_name="Dave"),
        erin=f.StaffAccountFactory(email="erin@duinhost.example", role=roles.PRIVACY, display_name="Erin"),
        frank=f.StaffAccountFactory(email="frank@duinhost.example", role=roles.ADMIN, display_name="Frank"),
    )
