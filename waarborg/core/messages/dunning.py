"""Dunning: ladders and their collection-cost rules, contests, approvals (the bailiff hand-off),
the fourteen-day letter by post.

Steps (`%(step)s`, `%(other)s`), step kinds, amounts and dates put themselves into words
(waarborg.dunning.ladders.Step, waarborg.dunning.words.Money and Day): "step 2 (reminder, day
14)" on the command line, "stap 2 (betalingsherinnering, dag 14)" on a Dutch screen."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    # A ladder's steps
    "dunning.ladder_no_steps": _("a ladder needs at least one step"),
    "dunning.step_keys": _("step %(n)s must have only key, kind and day"),
    "dunning.step_kind": _("step %(n)s: unknown kind %(kind)s (one of %(kinds)s)"),
    "dunning.step_day": _("step %(n)s: day must be a whole number from 1 to %(max)s"),
    "dunning.step_key": _("step %(n)s: a key is lower-case letters, digits and -"),
    "dunning.step_key_twice": _("step %(n)s: the key %(key)s is used twice"),
    "dunning.steps_same_day": _("%(step)s overlaps %(other)s: two steps may not fall on the same day"),
    "dunning.steps_day_order": _("%(step)s comes before %(other)s: steps must be in the order of their day"),
    "dunning.steps_kind_order": _(
        "%(step)s cannot follow %(other)s: the order is reminders, final notice, block, bailiff, cancellation"
    ),
    "dunning.first_step": _("the first step must be a reminder or the fourteen-day letter"),
    "dunning.step_once": _("a ladder has at most one %(kind)s step"),
    "dunning.block_unannounced": _(
        "a block must be announced: a final_notice step must come right before the block step"
    ),
    "dunning.block_after_notice": _("%(step)s must come right after the final notice that announces it"),
    "dunning.block_notice_period": _(
        "%(step)s overlaps the notice period of %(other)s: "
        "at least %(days)s days must lie between them (block_notice_days)"
    ),
    "dunning.cancel_without_block": _("a ladder that cancels services must block them first"),
    "dunning.consumer_without_wik": _(
        "a consumer ladder must send the fourteen-day letter (WIK) before any collection step"
    ),
    "dunning.wik_term": _(
        "%(step)s overlaps the fourteen-day term of %(other)s: at least %(days)s days must lie between them"
    ),
    "dunning.wik_before_bailiff": _("the fourteen-day letter must come before the bailiff hand-off"),
    # A ladder's settings
    "dunning.settings_object": _("settings must be an object"),
    "dunning.settings_unknown": _("unknown ladder settings: %(names)s"),
    "dunning.block_scope": _("%(field)s must be invoice or all"),
    "dunning.whole_number": _("%(field)s must be a whole number"),
    "dunning.between": _("%(field)s must be between %(minimum)s and %(maximum)s"),
    "dunning.not_a_number": _("%(field)s is not a number"),
    "dunning.too_large": _("%(field)s is too large"),
    "dunning.cost_vat_rate": _("%(field)s must be 0 or 21"),
    "dunning.cost_vat_consumer": _(
        "%(field)s must be 0 for consumers: no VAT is charged on top of the statutory scale"
    ),
    # The collection-cost rule
    "dunning.cost_rule_object": _("the cost rule must be an object"),
    "dunning.cost_rule_kind": _("the cost rule kind must be wik_scale, fixed_per_invoice or none"),
    "dunning.cost_brackets_missing": _("the cost rule needs brackets [[width, percent], ...]"),
    "dunning.cost_brackets_too_many": _("a cost rule has at most %(max)s brackets"),
    "dunning.cost_bracket_shape": _("cost bracket %(n)s must be [width, percent]"),
    "dunning.cost_bracket_open": _("only the last cost bracket is open-ended (width null)"),
    "dunning.cost_bracket_width": _("cost bracket %(n)s must be wider than zero"),
    "dunning.cost_bracket_percent": _("cost bracket %(n)s: a percentage lies between 0 and 100"),
    "dunning.cost_minimum_maximum": _("the cost minimum and maximum must satisfy 0 <= minimum <= maximum"),
    "dunning.cost_above_statute": _(
        "the consumer cost rule charges more than the statutory scale: on a principal of %(principal)s "
        "it charges %(charged)s where the statutory scale allows at most %(allowed)s"
    ),
    "dunning.cost_fixed_consumer": _(
        "consumers may be charged collection costs only on the statutory scale or a lower one "
        "(kind wik_scale), or none (kind none)"
    ),
    "dunning.cost_fixed_negative": _("the fixed cost cannot be negative"),
    # Contests and their links
    "dunning.link_invalid": _("this link is not valid"),
    "dunning.link_used": _("this link has already been used"),
    "dunning.case_missing": _("name the case or use the link from a notice"),
    "dunning.case_not_found": _("dunning.case %(id)s not found"),
    "dunning.case_closed": _("this case is closed: there is nothing left to contest"),
    "dunning.contest_by_person": _("a contest comes from the customer or is recorded by staff"),
    "dunning.contest_by_staff": _("only finance or support record a contest for a customer"),
    "dunning.contest_decided": _("this contest has been decided already"),
    "dunning.hold_released": _("this hold has been released already"),
    # Who decides
    "dunning.finance_only": _("only the finance role may do this"),
    "dunning.finance_decides": _("only finance decides on dunning"),
    "dunning.person_decides": _("a person must take this decision"),
    # Approvals and the bailiff hand-off
    "dunning.approval_decided": _("this step has been decided already"),
    "dunning.approval_not_waiting": _("the case is not waiting for this approval"),
    "dunning.approval_contested": _("the customer contested: decide the contest first"),
    "dunning.bailiff_missing": _("name the bailiff the case goes to"),
    "dunning.bailiff_not_registered": _("the recipient is not registered as a bailiff"),
    "dunning.bailiff_no_agreement": _("the bailiff has no valid agreement on %(day)s: no data may go to them"),
    "dunning.bailiff_categories": _("the bailiff is not registered for these data categories: %(categories)s"),
    "dunning.bailiff_email": _("not a valid e-mail address for the bailiff"),
    "dunning.case_file_not_sent": _("the case file could not be sent; nothing was handed off"),
    # The fourteen-day letter by post
    "dunning.post_by_person": _("a finance employee records that a letter was posted"),
    "dunning.post_by_finance": _("only the finance role may record that a letter was posted"),
    "dunning.not_a_date": _("%(field)s must be a date (YYYY-MM-DD)"),
    "dunning.date_in_future": _("%(field)s may not be in the future"),
    "dunning.posted_before_made": _("%(field)s may not be before the day the letter was made (%(made)s)"),
    "dunning.notice_not_found": _("dunning.notice %(id)s not found"),
    "dunning.notice_by_email": _("this notice goes by e-mail, not by post"),
    "dunning.letter_posted_already": _("this letter has been recorded as posted already"),
    "dunning.letter_not_waiting": _("this letter is not waiting to be posted (the case was closed)"),
    "dunning.no_postal_address": _("the customer has no postal address to post the letter to"),
    "dunning.no_active_account": _("no active account with that e-mail address"),
    "dunning.no_letter_by_post": _("no letter by post %(letter)s"),
}

FIELDS = {
    "block_scope": _("what a block covers"),
    "block_notice_days": _("number of days between the final notice and the block"),
    "cancel_silence_days": _("number of days without a response before a cancellation"),
    "cost_vat_rate": _("VAT on collection costs"),
    "posted_on": _("posting date"),
}
