from waarborg.core.datamap import ANALYTICS_13M, declare, pd
from waarborg.engagement.models import PageView

declare(
    PageView,
    dates={"event": "day"},
    subject="the browser that consented to analytics cookies (known only by the random number in its cookie)",
    fields={
        "device_id": pd(
            "D9",
            "user.device.cookie_id",
            "U8 U9",
            "consent",
            ANALYTICS_13M,
            "delete",
            "observed",
            source="system",
            label=("Cookie-ID", "Cookie identifier"),
        ),
        "path": pd(
            "D10",
            "user.behavior.browsing_history",
            "U8 U9",
            "consent",
            ANALYTICS_13M,
            "delete",
            "observed",
            source="system",
            label=("Bezochte pagina", "Page visited"),
        ),
        "day": pd(
            "D10",
            "user.behavior.browsing_history",
            "U8 U9",
            "consent",
            ANALYTICS_13M,
            "delete",
            "observed",
            source="system",
            label=("Dag", "Day"),
        ),
    },
    # Pseudonymous and standing alone: nothing in the administration links the number to a person.
    anchor=True,
    label=("Paginabezoek", "Page view"),
    groups=("visitors",),
)
