from waarborg.core.datamap import declare, exempt, pd, retention
from waarborg.erasure.models import ErasureCase, PendingFile

# How long the record of an erasure is kept: long enough to answer the regulator and the
# person (accountability, art. 5(2)); it names rows by id only.
ERASURE_RECORD = retention(
    "erasure_record",
    "closed",
    years=3,
    nl="3 jaar na het afronden van het wisverzoek, als bewijs dat het is uitgevoerd.",
    en="3 years after the erasure was completed, as proof that it was carried out.",
)
# A stored file that still has to be removed (its name may carry a person's name).
FILE_PENDING = retention(
    "file_pending",
    "event",
    years=1,
    nl="Tot het bestand is verwijderd; uiterlijk 1 jaar.",
    en="Until the file has been removed; at most 1 year.",
)

declare(
    ErasureCase,
    dates={"closed": "completed_at"},
    subject="the person whose data was erased (named only by the ids of their rows)",
    anchor=True,  # stands alone: the rows it names are gone or locked away
    fields={
        "subject_refs": pd(
            "D5",
            "user.unique_id.record_reference",
            "U14 U15",
            "legal_obligation",
            ERASURE_RECORD,
            "delete",
            "excluded",
            source="system",
            label=("Betrokken registraties", "Records concerned"),
        ),
        "subject_ref": pd(
            "D5",
            "user.unique_id.record_reference",
            "U14 U15",
            "legal_obligation",
            ERASURE_RECORD,
            "delete",
            "excluded",
            source="system",
            label=("Registratie van de betrokkene", "Record of the person concerned"),
        ),
        "details": pd(
            "D11",
            "user.correspondence.minor_report",
            "U14",
            "legal_obligation",
            ERASURE_RECORD,
            "delete",
            "excluded",
            source="staff",
            label=("Toelichting", "Details"),
        ),
        "opened_at": pd(
            "D5",
            "user.request.date",
            "U14",
            "legal_obligation",
            ERASURE_RECORD,
            "delete",
            "excluded",
            source="system",
            label=("Geopend op", "Opened on"),
        ),
        "completed_at": pd(
            "D5",
            "user.request.date",
            "U14",
            "legal_obligation",
            ERASURE_RECORD,
            "delete",
            "excluded",
            source="system",
            label=("Afgerond op", "Completed on"),
        ),
    },
    not_personal=(
        "source",
        "status",
        "reason",
        "hold",
        "waive",
        "privacy_request_id",
        "opened_by",
        "held_at",
        "executed_at",
        "attempts",
        "last_error",
        "result",
    ),
    label=("Wisdossier", "Erasure case"),
    context={
        "source": ("Aanleiding", "Cause"),
        "status": ("Status", "Status"),
        "executed_at": ("Uitgevoerd op", "Carried out on"),
    },
)

declare(
    PendingFile,
    dates={"event": "created_at"},
    subject="the person a stored file was about",
    anchor=True,
    fields={
        "name": pd(
            "D8",
            "user.file.stored_name",
            "U14",
            "legal_obligation",
            FILE_PENDING,
            "delete",
            "excluded",
            source="system",
            label=("Bestandsnaam", "File name"),
        ),
        "created_at": pd(
            "D8",
            "user.file.stored_name",
            "U14",
            "legal_obligation",
            FILE_PENDING,
            "delete",
            "excluded",
            source="system",
            label=("Aangemaakt op", "Created on"),
        ),
    },
    not_personal=("storage", "case", "attempts", "last_error"),
    label=("Te verwijderen bestand", "File to be deleted"),
)

exempt(
    "erasure.LedgerEntry",
    why="ids of erased rows, counts and times; identifiers only as keyed hashes (LedgerHash)",
)
exempt("erasure.LedgerHash", why="keyed hashes (HMAC) of erased identifiers: not readable without the key")
exempt("erasure.VacuumDue", why="the name of a table to vacuum and since when: no personal data")
