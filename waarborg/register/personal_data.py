from waarborg.core.datamap import WHILE_CUSTOMER, Link, declare, exempt, pd
from waarborg.customers.personal_data import NATURAL
from waarborg.register.models import ProcessorAgreement

exempt("register.Recipient", why="organisations that receive data: names, purposes and agreements")

declare(
    ProcessorAgreement,
    dates={"relationship_end": "customer__ended_at"},
    subject="the customer who accepted the processing agreement, and the account that accepted it",
    fields={
        "accepted_at": pd(
            "D1",
            "user.contract.date",
            "U1",
            "contract",
            WHILE_CUSTOMER,
            "delete",
            "observed",
            source="system",
            label=("Geaccepteerd op", "Accepted on"),
        ),
        "version": pd(
            "D1",
            "user.contract.version",
            "U1",
            "contract",
            WHILE_CUSTOMER,
            "delete",
            "observed",
            source="system",
            label=("Versie", "Version"),
        ),
    },
    not_personal=("customer", "accepted_by"),
    links=(
        Link("customer", "customers.Customer", "processing agreement of this customer", up_when=NATURAL),
        Link("accepted_by", "accounts.Account", "processing agreement accepted from this account"),
    ),
    label=("Verwerkersovereenkomst", "Processing agreement"),
)
exempt("register.SubprocessorChange", why="a sub-processor's change, its date and how many customers were told")
