"""Privacy requests (`waarborg.privacy`): intake, identity checks, answers, deliveries, erasure.

Besides its messages this module puts into words what the privacy services pass as params: a
request's type or status (`Named`), a day (`Day`) and a list of field names (`FieldNames`). The
CLI and the API keep the code or the ISO date; a screen or a mail reads them in its language.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    # who the request is about
    "privacy.identifier_missing": _(
        "give an identifier: an e-mail address, a phone number, a customer number, or a name with a postcode"
    ),
    "privacy.nobody_known": _("no data subject is known by these identifiers"),
    "privacy.different_people": _("the identifiers given point to different people"),
    "privacy.more_than_one_person": _(
        "these identifiers fit more than one person: give the person's e-mail address, or name and postcode"
    ),
    "privacy.contains_bsn": _(
        "%(field)s contains a number that looks like a BSN (citizen service number); we never store one — leave it out"
    ),
    # registering
    "privacy.received_format": _("the date received is not a date (YYYY-MM-DD)"),
    "privacy.received_needs_time_zone": _("the time received needs a time zone"),
    "privacy.received_not_a_date": _("the date received is not a date"),
    "privacy.received_out_of_range": _("the date received is out of range"),
    "privacy.received_in_future": _("the date received lies in the future"),
    "privacy.received_before_gdpr": _("the date received lies before %(date)s, when the GDPR began to apply"),
    "privacy.received_missing": _("give the date the request was received"),
    "privacy.purposes_only_in_objection": _("purposes are named only in an objection"),
    "privacy.objection_purposes": _(
        "an objection applies to purposes that rest on consent or legitimate interest (%(allowed)s), not to %(wrong)s"
    ),
    "privacy.consents_only_in_withdrawal": _("consent kinds are named only in a withdrawal of consent"),
    "privacy.transmit_only_in_portability": _("an organisation to send data to is named only in a portability request"),
    "privacy.changes_only_in_rectification": _("corrections belong to a rectification request"),
    "privacy.corrections_need_contact": _("corrections need the contact person the request is about"),
    "privacy.handler_not_active": _("a request is handled by an active privacy officer"),
    "privacy.handler_missing": _("name the privacy officer who handles the request"),
    "privacy.customer_asks_in_portal": _("a signed-in customer makes a request in the portal"),
    "privacy.portal_request_by_self": _("a portal request is made by the signed-in person themselves"),
    "privacy.duplicate_open": _(
        "request %(number)s of this type is still open for the same person: it is handled there"
    ),
    "privacy.duplicate_open_details": _("a request of this type with these details is still open: it is answered"),
    # the state of a request
    "privacy.request_not_found": _("privacy request %(pk)s not found"),
    "privacy.no_such_request": _("no such privacy request"),
    "privacy.request_closed": _("request %(number)s is closed (%(status)s)"),
    "privacy.closed": _("this request is closed"),
    "privacy.closed_unconfirmed": _(
        "this request was closed because it was not confirmed within %(days)s days; make a new request"
    ),
    "privacy.not_verified": _("the requester's identity has not been verified yet"),
    "privacy.already_verified": _("the requester's identity is already verified"),
    "privacy.wrong_type": _("this applies to a request of type %(type)s"),
    "privacy.no_email_send_by_post": _("the request has no e-mail address: send this by post and say so"),
    "privacy.nothing_held_no_check": _(
        "nothing is held under these identifiers: answer that, no identity check is needed"
    ),
    "privacy.someone_known": _("this request is about someone we know: answer it after the check"),
    # who may act
    "privacy.inactive_account": _("inactive account"),
    "privacy.handler_only": _("only the privacy officer handles privacy requests"),
    "privacy.person_decides": _("this is decided by a privacy officer, not by the system"),
    "privacy.api_client_may_not_register": _("this API client may not register privacy requests"),
    "privacy.role_may_not_register": _("this role does not register privacy requests"),
    "privacy.sign_in_first": _("sign in first"),
    "privacy.role_may_not_read": _("role may not read privacy requests"),
    "privacy.role_may_not_read_notices": _("role may not read recipient notices"),
    "privacy.role_may_not_read_documents": _("role may not read identity documents"),
    "privacy.queue_for_officer": _("the queue is for the privacy officer"),
    "privacy.customer_verified_by_session": _("a signed-in customer is verified by the session"),
    # one-time links and ID copies
    "privacy.link_invalid": _("this link is not valid"),
    "privacy.link_used": _("this link has been used already: it works once"),
    "privacy.link_replaced": _("this link was replaced by a newer one"),
    "privacy.link_expired": _("this link has expired (it is valid for %(hours)s hours)"),
    "privacy.link_locked": _("this link is locked after too many tries; ask for a new one"),
    "privacy.say_how_checked": _("say how the identity was checked"),
    "privacy.redaction_unconfirmed": _(
        "black out the photo, the MRZ strip, the document number and the BSN, and confirm that you did"
    ),
    "privacy.no_id_document": _("there is no identity document to review"),
    "privacy.id_document_destroyed": _("this identity document has been destroyed"),
    "privacy.id_document_destroyed_already": _("this identity document has been destroyed already"),
    "privacy.upload_type": _("upload a PDF, JPEG or PNG file"),
    "privacy.upload_empty": _("the file is empty"),
    "privacy.upload_too_large": _("the file is larger than %(mb)s MB"),
    "privacy.upload_not_its_type": _("the file is not what its type says"),
    # extension and refusal
    "privacy.extended_already": _("the term has been extended already (at most two months, once)"),
    "privacy.too_late_to_extend": _("too late to extend: the requester must be told within four weeks of receipt"),
    "privacy.refusal_text_incomplete": _("the refusal text lacks: %(missing)s; it is not sent"),
    "privacy.earlier_requests_missing": _(
        "link the earlier requests of this person that make this one unfounded or excessive"
    ),
    "privacy.earlier_request_unknown": _("an earlier request named does not exist"),
    "privacy.not_an_earlier_request": _("%(number)s is not an earlier request of the same person"),
    "privacy.no_texts_in_language": _("no texts in language '%(lang)s'"),
    # the type's own steps
    "privacy.rectifiable_fields": _("these details can be corrected: %(fields)s"),
    "privacy.country_code": _("a country is a two-letter code such as NL"),
    "privacy.no_correction_to_decide": _("there is no proposed correction to decide"),
    "privacy.proposal_decided_already": _("this proposal has been decided already"),
    "privacy.contact_gone": _("the contact person no longer exists"),
    "privacy.notice_closed_already": _("this notice has been closed already"),
    "privacy.no_open_notice": _("there is no open recipient notice"),
    "privacy.restriction_in_place": _("the restriction is in place already"),
    "privacy.no_restriction": _("no restriction of this request is in place"),
    "privacy.categories_missing": _("name the data categories to restrict"),
    "privacy.subject_data_gone": _("the subject's data no longer exists"),
    "privacy.unknown_categories": _("unknown data categories: %(categories)s"),
    "privacy.stop_lifted_already": _("this stop has been lifted already"),
    "privacy.plan_approved_already": _("the erasure plan has been approved already"),
    "privacy.no_plan_to_review": _("there is no proposed erasure plan to review"),
    "privacy.plan_not_approved": _("only an approved erasure plan can be carried out"),
    "privacy.plan_labels": _("a plan counts rows per model label (app.Model)"),
    "privacy.plan_counts": _("a plan counts rows with whole numbers"),
    # completing
    "privacy.corrections_undecided": _("decide every proposed correction first"),
    "privacy.plan_not_carried_out": _("the erasure plan has not been carried out yet"),
    "privacy.restriction_not_applied": _("apply the restriction first"),
    "privacy.notices_open": _(
        "%(count)s recipient notice(s) are still open: mark each done, or waive it with a reason"
    ),
    "privacy.keep_only_in_objection": _("purposes are kept only when an objection is decided"),
    "privacy.purpose_not_objected": _("%(purpose)s was not objected to"),
    "privacy.package_ref_invalid": _("a package reference is letters, digits and . _ : -"),
    # packages
    "privacy.package_types": _("only access and portability requests are answered with a package"),
    "privacy.nothing_held_any_more": _("nothing is held about this subject any more"),
    "privacy.portability_only": _("only a portability request is delivered this way"),
    "privacy.destination_invalid": _(
        "the organisation to send the data to is named without an e-mail address or an https:// address"
    ),
    "privacy.push_url_credentials": _("an address to send data to carries no user name or password"),
    "privacy.push_url_not_https": _("personal data is sent only over an https:// address"),
    "privacy.package_sent_already": _("the package has been sent already"),
    "privacy.package_not_stored": _("the package is no longer stored"),
    "privacy.package_gone": _("the package is no longer available"),
    "privacy.download_link_expired": _("this link has expired (it is valid for %(days)s days)"),
    "privacy.download_link_locked": _("this link is locked after too many tries"),
    # an access package answered from the back office, and downloaded in the portal
    "privacy.delivery_mail_failed": _(
        "the answer with the download link could not be e-mailed now, so nothing was changed: try again in a "
        "while, or send it by post"
    ),
    "privacy.package_not_by_post": _("only the package of an access request answered by post is read here"),
    "privacy.portal_download_own": _("a package is downloaded in the portal by the customer it belongs to"),
    "privacy.no_package_in_portal": _("there is no package to download for this request"),
    # erasure requests
    "privacy.erasure_only": _("only an erasure request is carried out by the erasure engine"),
    "privacy.erasure_plan_not_approved": _("the erasure plan of this request has not been approved"),
    "privacy.erasure_no_subject": _("no subject found for this request"),
    "privacy.erasure_no_subject_given": _("no subject found under these identifiers"),
    "privacy.erasure_nothing_left": _("there is nothing left to erase for the subject of this request"),
    "privacy.erasure_nothing_left_given": _("there is nothing left to erase under these identifiers"),
    "privacy.erasure_request_open": _(
        "request %(number)s of this type is still open for the same person: it is handled there; "
        "carry it out with --request once its plan is approved"
    ),
    "privacy.officer_unknown": _("no active privacy officer with that e-mail address"),
    "privacy.officer_not_named": _("name the privacy officer who handles the request with --handler"),
    # the command
    "privacy.account_unknown": _("no active account with that e-mail address"),
    "privacy.out_not_zip": _("--out must be a .zip file in an existing directory"),
}

FIELDS = {
    "town": _("town"),
    "note": _("note"),
    "transmit_to": _("organisation to send the data to"),
    "justification": _("justification"),
    "keep_purposes": _("reason to keep a purpose"),
}

# In-sentence words for the codes a message names (`Named`).
REQUEST_TYPES = {
    "access": _("access"),
    "rectification": _("rectification"),
    "erasure": _("erasure"),
    "withdrawal": _("withdrawal of consent"),
    "objection": _("objection"),
    "portability": _("data portability"),
    "restriction": _("restriction of processing"),
}
REQUEST_STATUSES = {
    "completed": _("completed"),
    "refused": _("refused"),
    "unconfirmed": _("closed because it was not confirmed"),
}
REFUSAL_PARTS = {"the reasons": _("the reasons")}


class FieldNames:
    """Field names: as given for the CLI and the API, in words (the catalogue's FIELDS) on a screen."""

    def __init__(self, names):
        self.names = tuple(names)

    def words(self, lang: str, plain: bool) -> str:
        # The joined catalogue, read when a message is rendered: this module is one of its parts.
        from waarborg.core.messages import FIELDS as words

        return ", ".join(self.names if plain else (str(words.get(n, n)) for n in self.names))
