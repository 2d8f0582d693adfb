"""Backups and key rotation (`waarborg backup`, `waarborg keys`): what an operator is told."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    # the file
    "backup.not_a_backup": _("not a Waarborg backup file (it does not start like one)"),
    "backup.cut_off_header": _("the backup file is cut off (no header)"),
    "backup.header_damaged": _("the backup file's header is damaged"),
    "backup.format_unknown": _("the backup file has a format this version does not read"),
    "backup.wrong_key": _("the backup was made with another WAARBORG_BACKUP_KEY (or its header is damaged)"),
    "backup.cut_off": _("the backup file is cut off"),
    "backup.damaged": _("the backup file is damaged"),
    "backup.data_after_end": _("the backup file has data after its end"),
    "backup.chunk_changed": _("the backup file was changed or damaged (chunk %(chunk)s does not authenticate)"),
    "backup.unreadable": _("the backup file cannot be read (%(reason)s)"),
    "backup.members_after_manifest": _("the backup file has members after its manifest"),
    "backup.member_not_allowed": _("the backup file holds a member it may not hold"),
    "backup.contents_damaged": _("the backup file's contents are damaged"),
    "backup.manifest_damaged": _("the backup file's manifest is damaged"),
    "backup.no_manifest": _("the backup file has no manifest (cut off or not a backup)"),
    "backup.members_mismatch": _("the backup file's members do not match its manifest"),
    "backup.member_checksum": _("a member of the backup file does not match its checksum"),
    # making one
    "backup.key_missing": _("WAARBORG_BACKUP_KEY must be set to make, check or restore a backup"),
    "backup.file_exists": _("the backup file already exists; a backup never overwrites one"),
    "backup.directory_missing": _("the backup file's directory does not exist"),
    "backup.prune_directory_missing": _("the backup directory does not exist"),
    "backup.busy": _("another key rotation, backup or restore is running; %(task)s not started"),
    # the database
    "backup.vendor_unsupported": _("backups support SQLite and PostgreSQL, not %(vendor)s"),
    "backup.client_missing": _("%(program)s is not installed (it comes with the PostgreSQL client package)"),
    "backup.client_too_old": _(
        "%(program)s %(client)s is older than the PostgreSQL server (%(server)s): "
        "install the client of version %(server)s or later"
    ),
    "backup.client_failed": _("%(program)s failed: %(output)s"),
    "backup.restore_in_transaction": _("a restore cannot run inside a transaction"),
    # restoring one
    "backup.key_not_held": _(
        "the backup needs %(kind)s key %(keys)s, which this installation does not hold "
        "(a backup of another installation, or an old key dropped too early)"
    ),
    "backup.other_vendor": _("the backup is of a %(backup_vendor)s database, this installation uses %(vendor)s"),
    "backup.ledger_not_set": _("WAARBORG_ERASURE_LEDGER must name the live erasure ledger file; a restore replays it"),
    "backup.ledger_file_missing": _(
        "the erasure ledger file (WAARBORG_ERASURE_LEDGER) does not exist; a restore replays it"
    ),
    "backup.ledger_not_live": _(
        "the erasure ledger file lacks erasures this backup knows of: it is not this installation's live ledger"
    ),
    "backup.ledger_key_not_held": _(
        "the erasure ledger file is under an identifier key this installation does not hold"
    ),
    "backup.database_not_empty": _("the database is not empty; a backup is restored only into an empty database"),
    # key rotation
    "backup.key_kind_unknown": _("unknown key kind '%(kind)s': choose encryption, identifier or audit"),
    "backup.identifier_key_not_old": _(
        "the keyed hashes are under identifier key %(key)s: put it last in WAARBORG_IDENTIFIER_KEYS_OLD"
    ),
    "backup.identifier_key_not_last": _(
        "identifier key %(key)s must be the last of WAARBORG_IDENTIFIER_KEYS_OLD (oldest first)"
    ),
    "backup.identifier_keys_order": _(
        "WAARBORG_IDENTIFIER_KEYS_OLD is not in the order the keys were used (oldest first)"
    ),
    "backup.encryption_key_missing": _(
        "some encrypted values open with none of the configured keys: put the old key in WAARBORG_ENCRYPTION_KEYS_OLD"
    ),
    "backup.audit_key_missing": _("the audit trail is under key %(key)s: put that key in WAARBORG_AUDIT_KEYS_OLD"),
}

# What the lock of a backup, restore or key rotation guards, for `backup.busy` (put into words with messages.words.InWords).
TASKS = {
    "backup": _("the backup"),
    "restore": _("the restore"),
    "rotation": _("the key rotation"),
}
