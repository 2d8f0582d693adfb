"""The daily jobs of dunning (run by `waarborg daily --as-of DATE`, in this order)."""

from waarborg.core.daily import daily_job
from waarborg.dunning.adapters import deliver_outbox
from waarborg.dunning.notices import send_due_notices
from waarborg.dunning.run import run_day


@daily_job("dunning", order=50)
def dunning(day):
    """Open, advance, re-anchor and close cases; counts per step kind."""
    return run_day(day)


@daily_job("dunning-notices", order=55, outgoing=True)
def dunning_notices(day):
    """Send the queued notices (retries with backoff)."""
    return {k: v for k, v in send_due_notices().items() if v}


@daily_job("provisioning", order=60, outgoing=True)
def provisioning(day):
    """Deliver the provisioning webhook's outbox (retries with backoff)."""
    return {k: v for k, v in deliver_outbox().items() if v}
