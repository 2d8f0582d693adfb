"""Mail written to files (WAARBORG_MAIL=file, the demo): one file per connection, never shared.

Django's file backend names a file after the second and the connection object's id(); a
connection opened in the same second at the address of one already gone appends to the other's
file. Here every connection gets a name of its own.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid

from django.core.mail.backends.filebased import EmailBackend as DjangoFileBackend


class EmailBackend(DjangoFileBackend):
    def _get_filename(self):
        if self._fname is None:
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            self._fname = os.path.join(self.file_path, f"{stamp}-{uuid.uuid4().hex}.log")
        return self._fname
