"""A child's records move between two real vaults, sealed and signed, with a signed receipt."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from desktop.casework.settings import working_calendar
from desktop.errors import InvalidInput
from desktop.models import AuditEvent, Case, Transfer
from desktop.procedures.catalogue import load_catalogue
from desktop.sharing.export import export_cases
from desktop.sharing.receipts import confirm_receipt, receive_package
from desktop.sharing.sealed import MAGIC
from desktop.sharing.transfer import open_package, own_certificate, send_package
from desktop.storage.keyfile import ScryptParams
from desktop.storage.vault import Vault
from tests.conftest import run_cli
from tests.factories import (
    RECEIVER,
    Who,
    import_sample,
    profiled_vault,
    sample_exchange,
    signing_profile,
)

NOW = dt.datetime(2027, 1, 11, 9, 30, tzinfo=dt.UTC)
CHILD = "C-1042"
THIRD = Who("Fictional Lead of Pretend Trust", "DSL", "Pretend Trust (fictional)")


def _sample_with_two_cases() -> dict[str, Any]:
    sample = sample_exchange()
    second = json.loads(json.dumps(sample["cases"][0]))
    second["reference"] = "ESC-0002"
    second["summary"] = "Fictional: a second disagreement, about the plan"
    sample["cases"].append(second)
    other = json.loads(json.dumps(sample["cases"][0]))
    other["reference"], other["child"]["identifier"] = "ESC-0003", "C-9999"
    sample["cases"].append(other)
    return sample


@pytest.fixture
def vaults(tmp_path: Path) -> Iterator[tuple[Vault, Vault]]:
    sender = profiled_vault(tmp_path / "sender")
    receiver = profiled_vault(tmp_path / "receiver", *RECEIVER)
    import_sample(sender, load_catalogue(), _sample_with_two_cases())
    yield sender, receiver
    sender.close()
    receiver.close()


def _child_cases(vault: Vault) -> list[dict[str, Any]]:
    with vault.sessions() as session:
        exported = export_cases(session, load_catalogue(), NOW, child=CHILD)
    return exported["cases"]


def _send(sender: Vault, **options: Any) -> Any:
    with sender.sessions.begin() as session:
        return send_package(
            session,
            sender.audit_key,
            load_catalogue(),
            CHILD,
            "Imaginary Academy",
            NOW,
            **options,
        )


def _receive(receiver: Vault, data: bytes, passphrase: str | None) -> bytes:
    catalogue = load_catalogue()
    with receiver.sessions() as session:
        incoming = open_package(session, catalogue, data, passphrase)
    assert incoming.child == CHILD and len(incoming.cases) == 2
    assert not incoming.known_signer
    with receiver.sessions.begin() as session:
        return receive_package(
            session,
            receiver.audit_key,
            catalogue,
            working_calendar(session),
            incoming,
            NOW,
            trust_signer=True,
        )


def test_round_trip_keeps_every_record_and_the_receipt_confirms(
    vaults: tuple[Vault, Vault], tmp_path: Path
) -> None:
    sender, receiver = vaults
    sent = _send(sender)
    assert sent.cases == 2 and sent.passphrase
    assert sent.data.startswith(MAGIC)
    for secret in (CHILD.encode(), b"ESC-0001", b"Fictional DSL", "Zażółć".encode()):
        assert secret not in sent.data  # sealed: nothing readable outside
    receipt = _receive(receiver, sent.data, sent.passphrase)
    assert _child_cases(receiver) == _child_cases(sender)  # every field of every record
    assert _child_cases(receiver)[0]["stages"][0]["fields"]["learning"]
    with receiver.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 2  # not C-9999's
    path = tmp_path / "receipt.pdf"
    path.write_bytes(receipt)
    if shutil.which("pdfsig"):
        assert (
            "Signature is Valid."
            in subprocess.run(
                ["pdfsig", str(path)], capture_output=True, text=True, check=False
            ).stdout
        )
    with sender.sessions.begin() as session, pytest.raises(InvalidInput, match="compare"):
        confirm_receipt(session, sender.audit_key, receipt, NOW)  # sealed by passphrase: whose?
    with sender.sessions.begin() as session:
        confirmed = confirm_receipt(session, sender.audit_key, receipt, NOW, trust=True)
        assert confirmed.receipt_at is not None and confirmed.transfer_id == sent.transfer_id
        actions = list(session.scalars(select(AuditEvent.action)))
    assert {"transfer.sent", "transfer.confirmed"} <= set(actions)


def test_certificate_sealed_package_opens_only_with_the_recipients_key(
    vaults: tuple[Vault, Vault], tmp_path: Path
) -> None:
    sender, receiver = vaults
    with receiver.sessions.begin() as session:
        certificate = own_certificate(session)
    sent = _send(sender, recipient_cert_pem=certificate)
    assert sent.passphrase is None
    third = profiled_vault(tmp_path / "third", *THIRD)
    with third.sessions.begin() as session, pytest.raises(InvalidInput, match="another recipient"):
        open_package(session, load_catalogue(), sent.data, None)
    third.close()
    receipt = _receive(receiver, sent.data, None)
    assert _child_cases(receiver) == _child_cases(sender)
    with sender.sessions.begin() as session:  # signed by the certificate it was sealed to
        assert confirm_receipt(session, sender.audit_key, receipt, NOW).receipt_at is not None


def _flip(data: bytes, offset_from_end: int) -> bytes:
    changed = bytearray(data)
    changed[-offset_from_end] ^= 0x01
    return bytes(changed)


@pytest.mark.parametrize("where", ["ciphertext", "header", "passphrase"])
def test_tampered_or_wrong_package_is_refused_and_nothing_imported(
    vaults: tuple[Vault, Vault], where: str
) -> None:
    sender, receiver = vaults
    sent = _send(sender)
    data, passphrase = sent.data, sent.passphrase
    if where == "ciphertext":
        data = _flip(data, 40)
    elif where == "header":
        data = data.replace(b'"r": 8', b'"r": 9', 1)
    else:
        passphrase = "wrong-words-for-this-package"
    with receiver.sessions() as session, pytest.raises(InvalidInput) as raised:
        open_package(session, load_catalogue(), data, passphrase)
    assert "could not be opened" in str(raised.value)
    assert "Nothing was imported" in str(raised.value)
    with receiver.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 0
        assert session.scalar(select(func.count()).select_from(Transfer)) == 0


def test_a_re_signed_forgery_fails_the_signature_check(vaults: tuple[Vault, Vault]) -> None:
    """Someone who knows the passphrase changes a record and re-encrypts: the signature fails."""
    import base64

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from desktop.sharing.sealed import _split

    sender, receiver = vaults
    sent = _send(sender)
    head, header, body = _split(sent.data)
    key = ScryptParams().derive(sent.passphrase, base64.b64decode(header["salt"]))
    nonce = base64.b64decode(header["nonce"])
    inner = json.loads(AESGCM(key).decrypt(nonce, body, head))
    payload = base64.b64decode(inner["payload"]).replace(b"Send chronology", b"Sent chronology")
    inner["payload"] = base64.b64encode(payload).decode()
    forged = head + AESGCM(key).encrypt(nonce, json.dumps(inner).encode(), head)
    with (
        receiver.sessions() as session,
        pytest.raises(InvalidInput, match="signature does not match"),
    ):
        open_package(session, load_catalogue(), forged, sent.passphrase)


def test_taken_references_are_kept_with_a_suffix_and_a_package_imports_once(
    vaults: tuple[Vault, Vault],
) -> None:
    sender, receiver = vaults
    catalogue = load_catalogue()
    raw = sample_exchange()
    raw["cases"][0]["child"]["identifier"] = "C-OTHER"
    import_sample(receiver, catalogue, raw)  # the receiver already uses ESC-0001
    sent = _send(sender)
    with receiver.sessions() as session:
        incoming = open_package(session, catalogue, sent.data, sent.passphrase)
    assert incoming.renamed == {"ESC-0001": "ESC-0001-T1"}
    _receive(receiver, sent.data, sent.passphrase)
    with receiver.sessions() as session, pytest.raises(InvalidInput, match="already received"):
        open_package(session, catalogue, sent.data, sent.passphrase)


def test_receipt_for_another_package_is_refused(vaults: tuple[Vault, Vault]) -> None:
    sender, receiver = vaults
    first = _send(sender)
    receipt = _receive(receiver, first.data, first.passphrase)
    with sender.sessions.begin() as session:
        session.execute(
            Transfer.__table__.update().values(package_sha256="0" * 64)  # type: ignore[attr-defined]
        )
    with sender.sessions.begin() as session, pytest.raises(InvalidInput, match="different package"):
        confirm_receipt(session, sender.audit_key, receipt, NOW)


@pytest.mark.slow
def test_command_line_send_show_receive_confirm(
    vaults: tuple[Vault, Vault], tmp_path: Path
) -> None:
    sender, receiver = vaults
    home, away = str(sender.files.folder), str(receiver.files.folder)
    sender.close()
    receiver.close()
    package, receipt = tmp_path / "package.bin", tmp_path / "receipt.pdf"
    sent = run_cli(
        "--vault",
        home,
        "transfer",
        "send",
        "--child",
        CHILD,
        "--to",
        "Imaginary",
        "-o",
        str(package),
    )
    assert sent.returncode == 0, sent.stderr
    words = sent.stdout.rsplit("telephone: ", 1)[1].strip()
    env = {"ESCALATION_RECORDER_PACKAGE_PASSPHRASE": words}
    asked = run_cli("--vault", away, "transfer", "receive", str(package))
    assert asked.returncode == 2 and "ESCALATION_RECORDER_PACKAGE_PASSPHRASE" in asked.stderr
    shown = run_cli("--vault", away, "transfer", "receive", str(package), env=env)
    assert shown.returncode == 0 and "Nothing was imported" in shown.stdout
    assert "ESC-0001" in shown.stdout and "ESC-0002" in shown.stdout
    bad = bytearray(package.read_bytes())
    bad[-10] ^= 0x80
    (tmp_path / "bad.bin").write_bytes(bytes(bad))
    tampered = run_cli(
        "--vault",
        away,
        "transfer",
        "receive",
        str(tmp_path / "bad.bin"),
        "--yes",
        "--trust",
        "-o",
        str(receipt),
        env=env,
    )
    assert tampered.returncode == 2 and "Traceback" not in tampered.stderr
    assert tampered.stderr.count("\n") == 1 and "could not be opened" in tampered.stderr
    assert not receipt.exists()
    taken = run_cli(
        "--vault",
        away,
        "transfer",
        "receive",
        str(package),
        "--yes",
        "--trust",
        "-o",
        str(receipt),
        env=env,
    )
    assert taken.returncode == 0, taken.stderr
    unconfirmed = run_cli("--vault", home, "transfer", "confirm", str(receipt))
    assert unconfirmed.returncode == 2 and "--trust" in unconfirmed.stderr
    assert unconfirmed.stderr.count("\n") == 1
    confirmed = run_cli("--vault", home, "transfer", "confirm", str(receipt), "--trust")
    assert confirmed.returncode == 0, confirmed.stderr
    listed = run_cli("--vault", home, "transfer", "list")
    assert "sent" in listed.stdout and "2 cases, receipt" in listed.stdout


def test_an_organisation_rsa_identity_can_seal_and_be_verified() -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    from desktop.sharing.sealed import Signer, seal, unseal

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Fictional Trust signer")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - dt.timedelta(days=1))
        .not_valid_after(NOW + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    signer = Signer(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode(),
        cert.public_bytes(serialization.Encoding.PEM).decode(),
        "",
    )
    sealed = seal(b"fictional payload", signer, passphrase="fictional words")
    assert unseal(sealed, passphrase="fictional words").payload == b"fictional payload"
    with pytest.raises(InvalidInput, match="could not be opened"):
        unseal(sealed[:-1] + bytes([sealed[-1] ^ 1]), passphrase="fictional words")


def test_a_signed_pdf_that_is_not_a_receipt_is_refused(vaults: tuple[Vault, Vault]) -> None:
    from desktop.sharing.signed_documents import render_document

    sender, _receiver = vaults
    with sender.sessions.begin() as session:
        summary = render_document(
            session, sender.audit_key, load_catalogue(), "ESC-0001", "summary"
        ).pdf
    with sender.sessions.begin() as session, pytest.raises(InvalidInput, match="not an"):
        confirm_receipt(session, sender.audit_key, summary, NOW)


def _resealed(sent: Any, n: int, r: int, p: int) -> bytes:
    """The same package re-encrypted, by someone who knows the passphrase, under other costs."""
    import base64

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from desktop.sharing.sealed import _split

    head, header, body = _split(sent.data)
    salt, nonce = base64.b64decode(header["salt"]), base64.b64decode(header["nonce"])
    inner = AESGCM(ScryptParams().derive(sent.passphrase, salt)).decrypt(nonce, body, head)
    header |= {"n": n, "r": r, "p": p}
    new_head = MAGIC + json.dumps(header, sort_keys=True).encode() + b"\n"
    if n * r * p > 2**20:  # too costly to derive here: the recipient must refuse it unread
        return new_head + body
    key = ScryptParams(n, r, p).derive(sent.passphrase, salt)
    return new_head + AESGCM(key).encrypt(nonce, inner, new_head)


@pytest.mark.parametrize(("n", "r", "p"), [(2**10, 1, 1), (2**20, 16, 4), (2**17, 8, 2**20)])
def test_key_derivation_costs_outside_the_bounds_are_refused_before_deriving(
    vaults: tuple[Vault, Vault], monkeypatch: pytest.MonkeyPatch, n: int, r: int, p: int
) -> None:
    sender, receiver = vaults
    sent = _send(sender)
    data = _resealed(sent, n, r, p)
    derived: list[ScryptParams] = []

    def spy(params: ScryptParams, passphrase: str, salt: bytes) -> bytes:
        derived.append(params)
        raise RuntimeError("derived a key from a package's own costs")

    monkeypatch.setattr(ScryptParams, "derive", spy)
    with receiver.sessions() as session, pytest.raises(InvalidInput) as raised:
        open_package(session, load_catalogue(), data, sent.passphrase)
    assert derived == []
    assert "key-derivation" in str(raised.value) and str(raised.value).count(".") == 1


def test_a_package_passphrase_typed_with_spaces_and_capitals_opens(
    vaults: tuple[Vault, Vault],
) -> None:
    sender, receiver = vaults
    sent = _send(sender)
    typed = "  " + sent.passphrase.replace("-", "  ").upper() + " "
    _receive(receiver, sent.data, typed)
    assert _child_cases(receiver) == _child_cases(sender)


def _append_info(pdf: bytes, keywords: str) -> bytes:
    import io

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    info = generic.DictionaryObject(
        {generic.pdf_name("/Keywords"): generic.TextStringObject(keywords)}
    )
    writer.set_info(info)  # type: ignore[no-untyped-call]  # untyped upstream
    out = io.BytesIO()
    writer.write(out)  # type: ignore[no-untyped-call]  # untyped upstream
    return out.getvalue()


def test_a_receipt_changed_after_signing_is_refused_and_records_nothing(
    vaults: tuple[Vault, Vault],
) -> None:
    from desktop.documents.receipt_pdf import receipt_keywords

    sender, receiver = vaults
    first, second = _send(sender), _send(sender)  # only the first ever arrives
    receipt = _receive(receiver, first.data, first.passphrase)
    forged = _append_info(receipt, receipt_keywords(second.transfer_id, second.sha256))
    with sender.sessions.begin() as session, pytest.raises(InvalidInput, match="changed after"):
        confirm_receipt(session, sender.audit_key, forged, NOW)
    with sender.sessions() as session:
        assert session.scalar(select(func.count()).where(Transfer.receipt_at.is_not(None))) == 0
    from desktop.documents.signing import signed_keywords

    assert signed_keywords(forged) == receipt_keywords(first.transfer_id, first.sha256)


def test_a_receipt_signed_by_anyone_but_the_recipient_is_refused(
    vaults: tuple[Vault, Vault], tmp_path: Path
) -> None:
    from desktop.documents.receipt_pdf import ReceiptData, compose_receipt, receipt_keywords
    from desktop.sharing.signed_documents import document_header, sign_story

    sender, receiver = vaults
    with receiver.sessions.begin() as session:
        certificate = own_certificate(session)
    sent = _send(sender, recipient_cert_pem=certificate)
    third = profiled_vault(tmp_path / "third", *THIRD)
    with third.sessions.begin() as session:  # a stranger who learnt the id and the hash
        story, slots = compose_receipt(
            ReceiptData(sent.transfer_id, sent.sha256, "x", NOW, NOW, "Pretend", CHILD, ())
        )
        header = document_header(session, "Transfer", "Receipt")
        keywords = receipt_keywords(sent.transfer_id, sent.sha256)
        forged = sign_story(session, header, story, slots, keywords)
    third.close()
    with sender.sessions.begin() as session, pytest.raises(InvalidInput, match="not signed by"):
        confirm_receipt(session, sender.audit_key, forged, NOW)
    with sender.sessions() as session:
        assert session.scalar(select(func.count()).where(Transfer.receipt_at.is_not(None))) == 0


def test_a_package_sender_field_is_shown_with_control_characters_visible(
    vaults: tuple[Vault, Vault], tmp_path: Path
) -> None:
    import dataclasses

    from desktop.sharing.transfer import prepare_package, seal_package

    sender, receiver = vaults
    with sender.sessions() as session:
        outgoing = prepare_package(session, load_catalogue(), CHILD, "Imaginary", NOW)
    payload = json.loads(outgoing.payload)
    payload["sender"] = "Eve\x1b[2J\nSigning root: 00:00 (a signer you confirmed before)\u202e"
    forged = dataclasses.replace(outgoing, payload=json.dumps(payload).encode())
    package = tmp_path / "package.bin"
    package.write_bytes(seal_package(forged))
    folder = str(receiver.files.folder)
    receiver.close()
    env = {"ESCALATION_RECORDER_PACKAGE_PASSPHRASE": str(outgoing.passphrase)}
    shown = run_cli("--vault", folder, "transfer", "receive", str(package), env=env)
    assert shown.returncode == 0, shown.stderr
    assert "\x1b" not in shown.stdout and "\u202e" not in shown.stdout
    assert "From: Eve\\x1b[2J\\nSigning root: 00:00" in shown.stdout
    # One line of its own: the forged one stays inside the From line, visibly.
    assert sum(n.startswith("Signing root") for n in shown.stdout.splitlines()) == 1


def test_a_package_sealed_to_a_certificate_opens_after_the_recipient_changed_profile(
    vaults: tuple[Vault, Vault],
) -> None:

    sender, receiver = vaults
    with receiver.sessions.begin() as session:
        certificate = own_certificate(session)
    sent = _send(sender, recipient_cert_pem=certificate)
    change = signing_profile(receiver, "Renamed Lead (fictional)", "DSL", "X")
    with receiver.sessions.begin() as session:
        assert change.new_certificate and own_certificate(session) != certificate
    receipt = _receive(receiver, sent.data, None)  # opened with the earlier certificate's key
    with sender.sessions.begin() as session:  # signed under the root that issued that certificate
        assert confirm_receipt(session, sender.audit_key, receipt, NOW).receipt_at is not None
