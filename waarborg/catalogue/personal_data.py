from waarborg.catalogue.models import Subscription
from waarborg.core.datamap import WHILE_CUSTOMER, Link, declare, exempt, pd
from waarborg.customers.personal_data import NATURAL

exempt("catalogue.Product", why="the product catalogue: names and prices")

declare(
    Subscription,
    dates={"relationship_end": "customer__ended_at"},
    subject="the customer holding the service",
    fields={
        "label": pd(
            "D1",
            "user.workplace.domain_name",
            "U1 U2 U5",
            "contract",
            WHILE_CUSTOMER,
            "delete",
            "provided",
            recipients="registry certificate_authority datacenter",
            identifier="domain",
            label=("Domein- of dienstnaam", "Domain or service name"),
        ),
        "start_date": pd(
            "D1",
            "user.contract.service_start",
            "U1 U3",
            "contract",
            WHILE_CUSTOMER,
            "delete",
            "observed",
            source="system",
            label=("Ingangsdatum", "Start date"),
        ),
        "end_date": pd(
            "D1",
            "user.contract.service_end",
            "U1 U3",
            "contract",
            WHILE_CUSTOMER,
            "delete",
            "observed",
            source="system",
            label=("Einddatum", "End date"),
        ),
    },
    not_personal=("customer", "product", "status", "block_reason"),
    links=(Link("customer", "customers.Customer", "service of this customer", up_when=NATURAL),),
    label=("Dienst", "Service"),
    context=("product", "status", "block_reason"),
)
