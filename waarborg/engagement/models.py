from django.db import models


class PageView(models.Model):
    """One page seen on the website, counted first-party with consent (U8, U9).

    The path has no query string and no ids (a page of one invoice counts as the invoice page);
    the device is the random number in the analytics cookie. No IP address, no browser details,
    no account.
    """

    path = models.CharField(max_length=200)
    day = models.DateField(db_index=True)
    device_id = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["path", "day"], name="pageview_path_day")]

    def __str__(self):
        return f"PageView #{self.pk}"
