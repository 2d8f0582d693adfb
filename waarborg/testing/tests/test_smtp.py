from django.core.mail import send_mail

from waarborg.testing.fixtures import smtp_server  # noqa: F401


def test_mail_goes_through_a_real_smtp_server(smtp_server):  # noqa: F811
    send_mail("Onderwerp", "Hallo", "noreply@duinhost.example", ["jan@example.nl"])
    [message] = smtp_server.wait_for(1)
    assert message["Subject"] == "Onderwerp" and smtp_server.body(message).strip() == "Hallo"
    assert smtp_server.handler.envelopes[0][1] == ["jan@example.nl"]
