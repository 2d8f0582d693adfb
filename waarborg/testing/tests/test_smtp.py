from django.core.mail import send_mail


def test_mail_goes_through_a_real_smtp_server(smtp_server):
    send_mail("Onderwerp", "Hallo", "noreply@duinhost.example", ["jan@example.nl"])
    [message] = smtp_server.wait_for(1)
    assert message["Subject"] == "Onderwerp" and smtp_server.body(message).strip() == "Hallo"
    assert smtp_server.handler.envelopes[0][1] == ["jan@example.nl"]


def test_settle_returns_what_was_sent_before_it_without_its_marker(smtp_server):
    assert smtp_server.settle() == []
    send_mail("Eerste", "Een", "noreply@duinhost.example", ["jan@example.nl"])
    send_mail("Tweede", "Twee", "noreply@duinhost.example", ["jan@example.nl"])
    assert [message["Subject"] for message in smtp_server.settle()] == ["Eerste", "Tweede"]
    assert len(smtp_server.handler.envelopes) == 2
