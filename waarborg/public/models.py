from django.db import models


class StatementVersion(models.Model):
    """A published version of the privacy statement, kept with its date (K2).

    The text is the statement as it was shown, in Dutch and English; a new row is made when the
    statement's text changes (a new policy version, or the personal-data map changed).
    """

    version = models.CharField(max_length=16)  # WAARBORG_POLICY_VERSION at the time
    published_at = models.DateTimeField(db_index=True)
    digest = models.CharField(max_length=64)  # sha256 of both texts
    html_nl = models.TextField()
    html_en = models.TextField()

    class Meta:
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return f"statement {self.version} ({self.published_at:%Y-%m-%d})"
