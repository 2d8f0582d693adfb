"""Mail written to files: every connection writes a file of its own, even within one second."""

from django.core.mail import EmailMessage

from waarborg.core.mailfiles import EmailBackend


def test_connections_in_the_same_second_never_share_a_file(tmp_path):
    for n in range(20):
        backend = EmailBackend(file_path=str(tmp_path))
        backend.send_messages([EmailMessage(f"Bericht {n}", "Tekst", "a@example.nl", ["b@example.nl"])])
        del backend  # its id() may be reused by the next one: the name must not depend on it
    files = sorted(tmp_path.iterdir())
    assert len(files) == 20
    assert all(f.read_text().count("Subject: Bericht") == 1 for f in files)
