from waarborg.core.datamap import ASSIGNMENT_7Y, CORRECTION_3M, WHILE_CUSTOMER, Link, declare, pd
from waarborg.customers.models import Contact, ContactHistory, Customer, Document, NoticeAgreement

NATURAL = (("kind__in", tuple(Customer.NATURAL_PERSON_KINDS)),)

declare(
    Customer,
    dates={"relationship_end": "ended_at"},
    subject="the customer; personal data when the customer is a private person or sole trader",
    anchor=True,
    fields={
        "number": pd(
            "D5",
            "user.unique_id.customer_number",
            "U1 U2 U3 U5",
            "contract",
            WHILE_CUSTOMER,
            "retain",
            "provided",
            recipients="payment_provider bailiff",
            identifier="customer_number",
            source="system",
        ),
        "name": pd(
            "D1",
            "user.name.company_or_person",
            "U1 U3 U14",
            "contract",
            WHILE_CUSTOMER,
            "anonymise",
            "provided",
            recipients="registry certificate_authority payment_provider bailiff",
        ),
        "kvk_number": pd(
            "D1",
            "user.workplace.chamber_of_commerce",
            "U1 U3 U14",
            "legal_obligation",
            WHILE_CUSTOMER,
            "anonymise",
            "provided",
        ),
        "vat_number": pd(
            "D1", "user.workplace.vat_number", "U3 U14", "legal_obligation", WHILE_CUSTOMER, "anonymise", "provided"
        ),
        "created_at": pd(
            "D5", "user.contract.start", "U1", "contract", WHILE_CUSTOMER, "retain", "observed", source="system"
        ),
        "ended_at": pd(
            "D5", "user.contract.end", "U1", "contract", WHILE_CUSTOMER, "retain", "observed", source="system"
        ),
        "restricted_at": pd(
            "D5",
            "user.contract.restriction",
            "U14",
            "legal_obligation",
            WHILE_CUSTOMER,
            "retain",
            "excluded",
            source="system",
        ),
    },
    not_personal=("kind", "market", "status"),
)

declare(
    Contact,
    dates={"relationship_end": "customer__ended_at"},
    subject="the contact person",
    anchor=True,
    fields={
        "first_name": pd(
            "D2",
            "user.name.first",
            "U1 U5 U6",
            "contract",
            WHILE_CUSTOMER,
            "delete",
            "provided",
            recipients="registry certificate_authority",
            identifier="name",
        ),
        "last_name": pd(
            "D2",
            "user.name.last",
            "U1 U5 U6",
            "contract",
            WHILE_CUSTOMER,
            "delete",
            "provided",
            recipients="registry certificate_authority",
            identifier="name",
        ),
        "street": pd(
            "D2",
            "user.contact.address.street",
            "U1 U3",
            "contract",
            WHILE_CUSTOMER,
            "delete",
            "provided",
            recipients="registry",
        ),
        "postcode": pd(
            "D2",
            "user.contact.address.postal_code",
            "U1 U3",
            "contract",
            WHILE_CUSTOMER,
            "delete",
            "provided",
            recipients="registry",
            identifier="postcode",
        ),
        "town": pd(
            "D2",
            "user.contact.address.city",
            "U1 U3",
            "contract",
            WHILE_CUSTOMER,
            "delete",
            "provided",
            recipients="registry",
        ),
        "country": pd(
            "D2",
            "user.contact.address.country",
            "U1 U3",
            "contract",
            WHILE_CUSTOMER,
            "delete",
            "provided",
            recipients="registry",
        ),
        "email": pd(
            "D3",
            "user.contact.email",
            "U1 U5 U6",
            "contract",
            WHILE_CUSTOMER,
            "delete",
            "provided",
            recipients="registry certificate_authority mail_provider",
            identifier="email",
        ),
        "phone": pd(
            "D4",
            "user.contact.phone_number",
            "U1 U5 U6",
            "contract",
            WHILE_CUSTOMER,
            "delete",
            "provided",
            recipients="registry",
            identifier="phone",
        ),
        "created_at": pd(
            "D5", "user.contract.contact_since", "U1", "contract", WHILE_CUSTOMER, "delete", "observed", source="system"
        ),
    },
    not_personal=("customer", "role"),
    links=(Link("customer", "customers.Customer", "contact person of this customer", up_when=NATURAL),),
)

declare(
    Document,
    dates={"relationship_end": "customer__ended_at"},
    subject="the customer the assignment was for",
    fields={
        "title": pd(
            "D8",
            "user.workplace.assignment_document",
            "U1 U14",
            "contract",
            ASSIGNMENT_7Y,
            "retain",
            "provided",
            source="staff",
        ),
        "file": pd(
            "D8",
            "user.workplace.assignment_document",
            "U1 U14",
            "contract",
            ASSIGNMENT_7Y,
            "retain",
            "provided",
            source="staff",
        ),
        "restricted_at": pd(
            "D8",
            "user.workplace.restriction",
            "U14",
            "legal_obligation",
            ASSIGNMENT_7Y,
            "retain",
            "excluded",
            source="system",
        ),
    },
    not_personal=("customer", "kind", "created_by", "created_at"),
    links=(Link("customer", "customers.Customer", "document made for this customer", up_when=NATURAL),),
)

declare(
    ContactHistory,
    dates={"event": "changed_at"},
    subject="the contact person whose details were corrected",
    fields={
        "old_value": pd(
            "D2", "user.contact.previous_value", "U12", "legitimate_interest", CORRECTION_3M, "delete", "derived"
        ),
        "changed_at": pd(
            "D5",
            "user.behavior.correction_time",
            "U12",
            "legitimate_interest",
            CORRECTION_3M,
            "delete",
            "observed",
            source="system",
        ),
    },
    not_personal=("contact", "field", "changed_by"),
    links=(Link("contact", "customers.Contact", "earlier value of this contact person's details"),),
)

declare(
    NoticeAgreement,
    dates={"relationship_end": "customer__ended_at"},
    subject="the customer who agreed to receive written notices by e-mail",
    fields={
        "source": pd(
            "D5", "user.contract.electronic_notices", "U1 U4", "contract", WHILE_CUSTOMER, "delete", "provided"
        ),
        "agreed_on": pd(
            "D5", "user.contract.electronic_notices", "U1 U4", "contract", WHILE_CUSTOMER, "delete", "provided"
        ),
        "reference": pd(
            "D5", "user.contract.electronic_notices", "U1 U4", "contract", WHILE_CUSTOMER, "delete", "provided"
        ),
        "withdrawn_on": pd(
            "D5", "user.contract.electronic_notices", "U1 U4", "contract", WHILE_CUSTOMER, "delete", "provided"
        ),
        "recorded_at": pd(
            "D5",
            "user.contract.electronic_notices",
            "U1 U4",
            "contract",
            WHILE_CUSTOMER,
            "delete",
            "observed",
            source="system",
        ),
    },
    not_personal=("customer", "recorded_by"),
    links=(Link("customer", "customers.Customer", "notices by e-mail agreed by this customer", up_when=NATURAL),),
)
