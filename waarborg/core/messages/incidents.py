"""The incident register (B6, X6, X7): reports, the assessment, the notifications, the close."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    # who may act, and what exists
    "incidents.officer_only": _("only the privacy officer may handle incidents"),
    "incidents.staff_only": _("only staff may register an incident"),
    "incidents.not_found": _("incidents.incident not found"),
    "incidents.incident_not_found": _("incidents.incident %(id)s not found"),
    "incidents.closed": _("incident %(number)s is closed"),
    # what comes in
    "incidents.personal_data": _(
        "%(field)s may not contain personal data such as an e-mail address, phone number, IBAN, "
        "postcode or IP address: describe what happened without copying it"
    ),
    "incidents.email_invalid": _("%(field)s is not a valid e-mail address"),
    "incidents.moment_form": _("%(field)s is not a moment in the form YYYY-MM-DD HH:MM"),
    "incidents.moment_future": _("%(field)s lies in the future"),
    "incidents.before_aware": _("%(field)s lies before the moment we became aware"),
    "incidents.categories_unknown": _("categories must be data categories D1–D11"),
    "incidents.count_invalid": _("%(field)s must be a whole number of people, 0 or more"),
    # the triage
    "incidents.kind_unknown": _("%(field)s must be abuse, security or breach"),
    "incidents.triaged_already": _("incident %(number)s has been triaged already"),
    "incidents.triage_first": _("triage the report first: abuse, a security incident or a personal-data breach"),
    "incidents.aware_after_triage": _("%(field)s lies after the triage: by then we were aware"),
    "incidents.aware_before_receipt": _("%(field)s lies before the report was received"),
    "incidents.aware_only_breach": _(
        "%(field)s is recorded only for a personal-data breach: abuse and security incidents have no 72-hour clock"
    ),
    "incidents.assess_not_breach": _(
        "only an incident triaged as a personal-data breach is assessed; close abuse or a security incident "
        "with a conclusion"
    ),
    # the assessment and the close
    "incidents.is_breach_yes_no": _("is_breach must be yes or no"),
    "incidents.breach_requires": _("%(field)s is required for a personal-data breach"),
    "incidents.categories_required": _("categories: name at least one data category affected"),
    "incidents.count_required": _("%(field)s is required for a personal-data breach (an estimate will do)"),
    "incidents.close_unassessed": _("assess the incident before closing it"),
    "incidents.close_not_notified": _("a reportable breach is closed only after the authority was notified"),
    "incidents.close_subjects_open": _(
        "a high-risk breach is closed only after the people affected were informed, or the ground why not"
    ),
    # the notification to the authority (art. 33)
    "incidents.reference_required": _("%(field)s is required: the number the authority gave the notification"),
    "incidents.notify_not_breach": _(
        "only an incident assessed as a personal-data breach is notified to the authority"
    ),
    "incidents.notified_already": _("the authority was notified already"),
    "incidents.delay_reasons_required": _(
        "%(field)s is required: the notification is more than %(hours)s hours after becoming aware"
    ),
    # informing the people affected (art. 34)
    "incidents.how_or_ground": _("give either how the people were informed, or the ground why not"),
    "incidents.inform_not_breach": _("only the people affected by a personal-data breach are informed"),
    "incidents.informed_already": _("this was recorded already"),
    # telling the customers whose own data the breach touched (X7)
    "incidents.customer_number_form": _("a customer number looks like K100001"),
    "incidents.customers_required": _("name the customers whose data the breach touched"),
    "incidents.customers_unknown": _("%(count)s of these customer numbers are unknown"),
    "incidents.customer_without_email": _("a customer has no e-mail address to tell"),
    "incidents.tell_not_breach": _("assess the incident as a personal-data breach first"),
    "incidents.customers_told_already": _("these customers were told already"),
}

# The register's fields as a refusal names them on a screen: each a singular noun, so that
# "%(field)s is required" reads well.
FIELDS = {
    "description": _("the description"),
    "reporter_email": _("the reporter's e-mail address"),
    "received_at": _("the moment of receipt"),
    "aware_at": _("the moment we became aware"),
    "risk": _("the risk"),
    "kind": _("the kind of incident"),
    "triage_reasons": _("the reasoning of the triage"),
    "subjects_count": _("the number of people affected"),
    "reasons": _("the reasoning of the assessment"),
    "measures": _("the description of the measures"),
    "consequences": _("the description of the likely consequences"),
    "notified_at": _("the moment of notification"),
    "delay_reasons": _("the explanation of the delay"),
    "informed_at": _("the moment the people were informed"),
    "explanation": _("the explanation"),
    "conclusion": _("the conclusion"),
}
