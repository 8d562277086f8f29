"""The outbox and SMTP delivery against a real SMTP server, on SQLite and PostgreSQL.

What a BZK reader relies on: a decided reminder is never lost (an outage, a refusal or a
crash leaves it for the next run) and never arrives twice, except after a crash between the
server's "accepted" and our "sent", where the copy carries the same Message-ID.
"""

from __future__ import annotations

import datetime as dt
import ssl
from pathlib import Path

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlalchemy import func, select
from sqlmodel import Session

from spreiding.core.errors import InvalidInput
from spreiding.mail import outbox as mail
from spreiding.mail.outbox import DeliveryReport, deliver_pending, enqueue, message_id
from spreiding.models.db import migrate, session_scope
from spreiding.models.tables import OutboxMessage
from tests.mailserver import MailServer, point_settings_at


@pytest.fixture
def engine(configured):
    """A migrated, empty store (no reference data needed for the outbox)."""
    engine = configured.engine()
    migrate(engine)
    return engine


def queue(engine, n: int = 1, *, to: str = "contact@minszw.nl") -> list[str]:
    keys = [f"test:{i}" for i in range(n)]
    with session_scope(engine) as session:
        for key in keys:
            assert enqueue(
                session,
                key=key,
                kind="test",
                to=to,
                subject=f"Herinnering vóór 1 juni ({key})",
                body="Het Ministerie van Financiën wordt herinnerd aan het gesprek.\n",
            )
    return keys


def rows(engine) -> dict[str, OutboxMessage]:
    with Session(engine) as session:
        return {m.key: m for m in session.scalars(select(OutboxMessage))}


# -- enqueue ---------------------------------------------------------------------------------


def test_enqueue_writes_a_key_once_and_the_transaction_stays_usable(engine):
    with session_scope(engine) as session:
        first = enqueue(session, key="k", kind="test", to="a@b.nl", subject="s", body="b")
        again = enqueue(session, key="k", kind="test", to="other@b.nl", subject="x", body="y")
        other = enqueue(session, key="k2", kind="test", to="a@b.nl", subject="s", body="b")
    assert (first, again, other) == (True, False, True)
    with session_scope(engine) as session:  # a later transaction sees the key too
        assert not enqueue(session, key="k", kind="test", to="a@b.nl", subject="s", body="b")
    stored = rows(engine)
    assert sorted(stored) == ["k", "k2"]
    assert stored["k"].to_address == "a@b.nl"  # the first decision stands
    assert (stored["k"].attempts, stored["k"].sent_at) == (0, None)


def test_a_message_rolled_back_with_its_decision_is_never_sent(engine, mail_server):
    with pytest.raises(RuntimeError), session_scope(engine) as session:
        enqueue(session, key="k", kind="test", to="a@b.nl", subject="s", body="b")
        raise RuntimeError("the decision failed after the message was written")
    assert rows(engine) == {}
    assert deliver_pending(engine) == DeliveryReport(0, 0, 0, None)
    assert mail_server.received == []


@pytest.mark.parametrize(
    ("to", "subject", "problem"),
    [
        ("geen adres", "s", "e-mail address"),
        ("a@b.nl, c@d.nl", "s", "e-mail address"),
        ("a@b.nl", "regel 1\nBcc: iedereen@example.org", "one line"),
    ],
)
def test_enqueue_refuses_what_cannot_be_sent(engine, to, subject, problem):
    with session_scope(engine) as session, pytest.raises(InvalidInput, match=problem):
        enqueue(session, key="k", kind="test", to=to, subject=subject, body="b")


def test_a_message_that_cannot_be_built_fails_alone(engine, mail_server):
    with session_scope(engine) as session:  # written around enqueue's checks
        session.add(
            OutboxMessage(key="bad", kind="test", to_address="a@b.nl", subject="x\ny", body="b")
        )
    queue(engine)
    report = deliver_pending(engine)
    assert (report.sent, report.failed, report.pending, report.error) == (1, 1, 1, None)
    assert "ValueError" in rows(engine)["bad"].last_error
    assert len(mail_server.received) == 1


# -- delivery --------------------------------------------------------------------------------


def test_delivery_sends_utf8_mail_with_a_message_id_from_the_key(engine, mail_server):
    (key,) = queue(engine)
    report = deliver_pending(engine)
    assert report == DeliveryReport(sent=1, failed=0, pending=0, error=None)
    (got,) = mail_server.received
    assert got.mail_from == "spreiding@minbzk.nl"
    assert got.rcpt_tos == ("contact@minszw.nl",)
    assert got.to == "contact@minszw.nl"
    assert got.subject == "Herinnering vóór 1 juni (test:0)"
    assert "Ministerie van Financiën" in got.body
    assert got.message["Message-ID"] == message_id(key, "spreiding@minbzk.nl")
    assert got.message["X-Spreiding-Key"] == key
    assert got.message["Auto-Submitted"] == "auto-generated"
    stored = rows(engine)[key]
    assert stored.sent_at is not None and stored.attempts == 1 and stored.last_error is None
    assert deliver_pending(engine) == DeliveryReport(0, 0, 0, None)  # nothing twice
    assert len(mail_server.received) == 1


def test_message_ids_differ_per_key_and_stay_the_same_per_key():
    sender = "spreiding@minbzk.nl"
    assert message_id("zbo:UWV:2026-06-01:vooraf", sender) == message_id(
        "zbo:UWV:2026-06-01:vooraf", sender
    )
    assert message_id("zbo:UWV:2026-06-01:vooraf", sender) != message_id(
        "zbo:UWV:2026-06-01:op-datum", sender
    )
    assert message_id("k", sender).endswith("@minbzk.nl>")


def test_without_pending_messages_no_connection_is_made(engine, mail_outage):
    assert deliver_pending(engine) == DeliveryReport(0, 0, 0, None)


def test_limit_sends_the_oldest_and_leaves_the_rest(engine, mail_server):
    queue(engine, 3)
    assert deliver_pending(engine, limit=2) == DeliveryReport(2, 0, 1, None)
    assert [r.subject[-7:-1] for r in mail_server.received] == ["test:0", "test:1"]
    with pytest.raises(InvalidInput):
        deliver_pending(engine, limit=0)


def test_an_outage_keeps_everything_and_the_next_run_delivers_each_once(engine, mail_outage):
    keys = queue(engine, 3)
    report = deliver_pending(engine)
    assert (report.sent, report.failed, report.pending) == (0, 3, 3)
    assert "cannot connect to 127.0.0.1" in report.error
    assert deliver_pending(engine).failed == 3  # still down: counted again, nothing lost
    for key in keys:
        stored = rows(engine)[key]
        assert stored.sent_at is None and stored.attempts == 2
        assert "ConnectionRefusedError" in stored.last_error

    mail_outage.start()  # the server is back, same settings
    assert deliver_pending(engine) == DeliveryReport(3, 0, 0, None)
    assert deliver_pending(engine) == DeliveryReport(0, 0, 0, None)
    assert sorted(r.message["X-Spreiding-Key"] for r in mail_outage.received) == keys
    assert {rows(engine)[k].attempts for k in keys} == {3}


def test_a_temporary_refusal_counts_an_attempt_and_the_run_carries_on(engine, mail_server):
    keys = queue(engine, 2)
    mail_server.reply = "451 4.3.0 Tijdelijke storing, probeer later opnieuw"
    report = deliver_pending(engine)
    assert report == DeliveryReport(sent=0, failed=2, pending=2, error=None)
    assert all("451" in rows(engine)[k].last_error for k in keys)
    mail_server.reply = None
    assert deliver_pending(engine) == DeliveryReport(2, 0, 0, None)
    assert len(mail_server.received) == 2


def test_a_server_closing_the_connection_stops_the_run(engine, mail_server):
    keys = queue(engine, 3)
    mail_server.reply = "421 4.3.2 Service shutting down"
    report = deliver_pending(engine)
    assert (report.sent, report.failed, report.pending) == (0, 3, 3)
    assert report.error.startswith("connection lost") and "421" in report.error
    assert {rows(engine)[k].attempts for k in keys} == {1}
    mail_server.reply = None
    assert deliver_pending(engine).sent == 3


def test_a_crash_between_accepted_and_marked_resends_with_the_same_message_id(
    engine, mail_server, monkeypatch
):
    (key,) = queue(engine)

    def crash(_message):
        raise RuntimeError("power failure after the server said 250")

    with monkeypatch.context() as patch:
        patch.setattr(mail, "_mark_sent", crash)
        with pytest.raises(RuntimeError, match="power failure"):
            deliver_pending(engine)
    assert rows(engine)[key].sent_at is None  # not marked: it is sent again
    assert deliver_pending(engine) == DeliveryReport(1, 0, 0, None)
    first, second = mail_server.received
    assert (
        first.message["Message-ID"]
        == second.message["Message-ID"]
        == message_id(key, "spreiding@minbzk.nl")
    )


def test_pending_counts_the_whole_outbox(engine, mail_server):
    queue(engine, 2)
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 2
        assert mail.count_pending(session) == 2
    deliver_pending(engine)
    with Session(engine) as session:
        assert mail.count_pending(session) == 0
        assert [m.key for m in mail.outbox_messages(session)] == ["test:1", "test:0"]
        assert mail.outbox_messages(session, pending=True) == []


# -- TLS and login ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1: (certificate, key) files."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


def _authenticator(_server, _session, _envelope, _mechanism, auth_data) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and auth_data == (b"bzk", b"geheim")
    return AuthResult(success=ok, handled=False)  # not handled: the server answers 535


@pytest.fixture
def tls_server(certificate, monkeypatch):
    """Trust the test certificate the way a deployment trusts an internal CA."""
    cert_file, key_file = certificate
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    servers: list[MailServer] = []

    def start(**parameters) -> MailServer:
        server = MailServer(**parameters, authenticator=_authenticator).start()
        servers.append(server)
        return server

    yield context, start
    for server in servers:
        server.stop()


def test_starttls_and_login(engine, tls_server, monkeypatch):
    context, start = tls_server
    server = start(
        tls_context=context, require_starttls=True, auth_required=True, auth_require_tls=True
    )
    point_settings_at(monkeypatch, server, security="starttls", user="bzk", password="geheim")
    queue(engine)
    assert deliver_pending(engine) == DeliveryReport(1, 0, 0, None)
    assert len(server.received) == 1


def test_a_refused_login_is_an_outage(engine, tls_server, monkeypatch):
    context, start = tls_server
    server = start(tls_context=context, require_starttls=True, auth_required=True)
    point_settings_at(monkeypatch, server, security="starttls", user="bzk", password="fout")
    queue(engine)
    report = deliver_pending(engine)
    assert (report.sent, report.failed, report.pending) == (0, 1, 1)
    assert "SMTPAuthenticationError" in report.error
    assert server.received == []


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_implicit_tls(engine, tls_server, monkeypatch):
    context, start = tls_server
    # aiosmtpd counts only STARTTLS as TLS for AUTH; here the whole connection is TLS.
    server = start(ssl_context=context, auth_required=True, auth_require_tls=False)
    point_settings_at(monkeypatch, server, security="ssl", user="bzk", password="geheim")
    queue(engine)
    assert deliver_pending(engine) == DeliveryReport(1, 0, 0, None)
    assert len(server.received) == 1


def test_an_untrusted_certificate_is_refused(engine, tls_server, monkeypatch, tmp_path):
    context, start = tls_server
    server = start(tls_context=context, require_starttls=True)
    point_settings_at(monkeypatch, server, security="starttls")
    empty = tmp_path / "no-ca.pem"
    empty.write_text("")
    monkeypatch.setenv("SSL_CERT_FILE", str(empty))
    queue(engine)
    report = deliver_pending(engine)
    assert report.sent == 0 and "CERTIFICATE_VERIFY_FAILED" in report.error
