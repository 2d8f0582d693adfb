"""Words the map's declarations share: the labels of common context fields and the groups of
data subjects (art. 30(1)(c)). A declaration names them by key; `datamap` re-exports both."""

from __future__ import annotations

# The labels of not-personal fields a record shows as its context, by field name. Which fields a
# model shows is its own declaration (`context=`); a model may also label a field its own way.
CONTEXT_LABELS: dict[str, tuple[str, str]] = {
    "number": ("Nummer", "Number"),
    "status": ("Status", "Status"),
    "kind": ("Soort", "Kind"),
    "role": ("Rol", "Role"),
    "market": ("Markt", "Market"),
    "issue_date": ("Factuurdatum", "Invoice date"),
    "due_date": ("Vervaldatum", "Due date"),
    "currency": ("Valuta", "Currency"),
    "direction": ("Richting", "Direction"),
    "product": ("Product", "Product"),
    "block_reason": ("Reden van blokkering", "Reason for blocking"),
    "succeeded": ("Gelukt", "Succeeded"),
    "method": ("Methode", "Method"),
    "source": ("Bron", "Source"),
    "content_type": ("Bestandstype", "File type"),
    "size": ("Grootte (bytes)", "Size (bytes)"),
    "created_at": ("Aangemaakt op", "Created on"),
    "is_active": ("Actief", "Active"),
    "field": ("Gecorrigeerd gegeven", "Corrected field"),
    "quantity": ("Aantal", "Quantity"),
    "unit_price": ("Prijs per stuk", "Unit price"),
    "vat_rate": ("Btw-tarief (%)", "VAT rate (%)"),
    "confirmed": ("Bevestigd", "Confirmed"),
    "channel": ("Kanaal", "Channel"),
    "expire_date": ("Verloopt op", "Expires on"),
    "decided_at": ("Besloten op", "Decided on"),
    "expires_at": ("Verloopt op", "Expires on"),
}

# Who the rows of a model are about, in groups of data subjects (art. 30(1)(c)): a declaration
# names its groups (`groups=`), customers when it names none.
SUBJECT_GROUPS: dict[str, tuple[str, str]] = {
    "customers": ("Klanten en contactpersonen van klanten", "Customers and customers' contact persons"),
    "visitors": ("Bezoekers van de website", "Website visitors"),
    "applicants": ("Sollicitanten", "Job applicants"),
    "staff": ("Medewerkers", "Staff"),
    "requesters": ("Personen die een privacyrecht uitoefenen", "People exercising a privacy right"),
}
