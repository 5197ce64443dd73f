"""The other party's side, through the services: check, confirm, countersign, keep.

On the old code an unconfirmed signer's document was countersigned without a
word, the output could be the input file itself (it was overwritten), and a
second countersignature by the same person was refused only because "this
document has no empty box"; a received document could not be kept with a case.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.documents.signing import Verdict
from desktop.errors import InvalidInput, SignerNotConfirmed, UnknownCase
from desktop.models import KnownSigner, ReceivedDocument
from desktop.sharing.received_documents import PACKAGE, PDF, keep_document, kind_of_sent_file
from desktop.sharing.signatures import check_file, countersign, known_roots
from desktop.sharing.signers import (
    confirm_signer,
    identity_summary,
    list_confirmed_signers,
    withdraw_signer,
)
from desktop.storage.vault import Vault
from desktop.text.fingerprint_words import fingerprint_words
from tests.factories import escalated_case, profiled_vault
from tests.sharing.parties import (
    CATALOGUE,
    RECIPIENT,
    SENDER,
    document,
    event_count,
    events,
    pdf_text,
    pdfsig_agrees,
    require_poppler,
)


@pytest.fixture
def parties(tmp_path: Path) -> Iterator[tuple[Vault, Vault]]:
    """The sender (with case DOC-1) and the recipient (with a case of their own, REC-1)."""
    require_poppler()
    sender = profiled_vault(tmp_path / "sender", *SENDER)
    recipient = profiled_vault(tmp_path / "recipient", *RECIPIENT)
    escalated_case(sender, CATALOGUE, "DOC-1")
    escalated_case(recipient, CATALOGUE, "REC-1")
    yield sender, recipient
    sender.close()
    recipient.close()


def _received(tmp_path: Path, sender: Vault, name: str = "received.pdf", **kw: bool) -> Path:
    path = tmp_path / name
    path.write_bytes(document(sender, **kw).pdf)  # type: ignore[arg-type]
    return path


def _confirm(recipient: Vault, path: Path, passphrase: str | None = None) -> None:
    checked = check_file(path, known_roots(recipient), passphrase)
    report = checked.reports[0]
    confirm_signer(recipient, report.root_fingerprint, report.root_subject)


def test_the_three_verdicts_and_a_file_that_cannot_be_read(
    parties: tuple[Vault, Vault], tmp_path: Path
) -> None:
    sender, recipient = parties
    path = _received(tmp_path, sender)
    assert check_file(path, known_roots(recipient)).verdict is Verdict.UNCONFIRMED
    assert check_file(path, known_roots(sender)).verdict is Verdict.TRUSTED
    broken = bytearray(path.read_bytes())
    broken[len(broken) // 4] ^= 0x01
    (tmp_path / "broken.pdf").write_bytes(bytes(broken))
    assert check_file(tmp_path / "broken.pdf", known_roots(sender)).verdict is Verdict.INVALID
    missing = check_file(tmp_path / "missing.pdf", known_roots(sender))
    assert missing.verdict is Verdict.UNREADABLE and missing.problem


def test_names_are_plain_words_and_the_root_is_named_in_full(
    parties: tuple[Vault, Vault], tmp_path: Path
) -> None:
    sender, recipient = parties
    [report] = check_file(_received(tmp_path, sender), known_roots(recipient)).reports
    assert (report.signer_name, report.signer_role, report.signer_organisation) == SENDER
    assert report.signer == ", ".join(SENDER)
    assert report.root_subject == "Nowhere Primary (fictional)"  # not "Common Name: ...
    for raw in ("Common Name", "Organization", "Title:"):
        assert raw not in report.signer + report.root_subject


def test_the_same_root_fingerprint_is_shown_by_the_signer_and_to_the_recipient(
    parties: tuple[Vault, Vault], tmp_path: Path
) -> None:
    sender, recipient = parties
    [report] = check_file(_received(tmp_path, sender), known_roots(recipient)).reports
    words = fingerprint_words(report.root_fingerprint)
    with sender.sessions() as session:
        assert words in identity_summary(session)  # what Settings shows the sender
    [own] = [s for s in list_confirmed_signers(sender) if s.own]
    assert own.fingerprint == report.root_fingerprint and own.words == words


def test_confirming_withdrawing_and_the_own_root_that_stays(
    parties: tuple[Vault, Vault], tmp_path: Path
) -> None:
    sender, recipient = parties
    path = _received(tmp_path, sender)
    before = event_count(recipient)
    _confirm(recipient, path)
    assert events(recipient)[before:] == ["signer.trusted"]
    assert check_file(path, known_roots(recipient)).verdict is Verdict.TRUSTED
    listed = list_confirmed_signers(recipient)
    assert [s.own for s in listed] == [True, False]
    with pytest.raises(InvalidInput, match="your own signing root"):
        withdraw_signer(recipient, listed[0].signer_id)
    assert withdraw_signer(recipient, listed[1].signer_id) == "Nowhere Primary (fictional)"
    assert events(recipient)[-1] == "signer.withdrawn"
    assert check_file(path, known_roots(recipient)).verdict is Verdict.UNCONFIRMED


def test_countersigning_says_who_and_what_they_confirm_and_pdfsig_agrees(
    parties: tuple[Vault, Vault], tmp_path: Path
) -> None:
    sender, recipient = parties
    path = _received(tmp_path, sender)
    _confirm(recipient, path)
    out = tmp_path / "countersigned.pdf"
    countersign(recipient, path, path.read_bytes(), out)
    pdfsig_agrees(out, 2)
    text = " ".join(pdf_text(out, stamps=True).split())
    assert "Countersigned by Sam Sample (fictional), Team manager, Fictional Children's" in text
    assert "the nature of the disagreement and how any outstanding issues will be pursued" in text
    checked = check_file(out, known_roots(recipient))
    assert checked.verdict is Verdict.TRUSTED and not checked.signed.empty_boxes  # type: ignore[union-attr]


def test_countersigning_is_refused_in_each_case_and_writes_nothing(
    parties: tuple[Vault, Vault], tmp_path: Path
) -> None:
    sender, recipient = parties
    path = _received(tmp_path, sender)
    out = tmp_path / "out.pdf"
    with pytest.raises(SignerNotConfirmed, match="not confirmed in this vault"):
        countersign(recipient, path, path.read_bytes(), out)  # the old code signed it
    _confirm(recipient, path)
    with pytest.raises(InvalidInput, match="new file"):
        countersign(recipient, path, path.read_bytes(), path)  # over the input itself
    link = tmp_path / "link.pdf"
    link.symlink_to(path)
    with pytest.raises(InvalidInput, match="new file"):
        countersign(recipient, path, path.read_bytes(), link)
    hard = tmp_path / "hard.pdf"
    os.link(path, hard)
    with pytest.raises(InvalidInput, match="new file"):
        countersign(recipient, path, path.read_bytes(), hard)
    with pytest.raises(InvalidInput, match="signed this document yourself"):
        countersign(sender, path, path.read_bytes(), out)
    summary = _received(tmp_path, sender, "summary.pdf", kind="summary")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="no empty box"):
        countersign(recipient, summary, summary.read_bytes(), out)
    countersign(recipient, path, path.read_bytes(), out)
    again = tmp_path / "again.pdf"
    with pytest.raises(InvalidInput, match="already countersigned"):
        countersign(recipient, out, out.read_bytes(), again)  # the old code stacked a second
    assert not again.exists() and events(recipient).count("document.countersigned") == 1


def test_an_unconfirmed_signer_can_be_accepted_on_purpose(
    parties: tuple[Vault, Vault], tmp_path: Path
) -> None:
    sender, recipient = parties
    path = _received(tmp_path, sender)
    countersign(recipient, path, path.read_bytes(), tmp_path / "o.pdf", accept_unconfirmed=True)
    pdfsig_agrees(tmp_path / "o.pdf", 2)


def test_an_encrypted_confirmation_is_countersigned_and_stays_encrypted(
    parties: tuple[Vault, Vault], tmp_path: Path
) -> None:
    sender, recipient = parties
    shared = document(sender, encrypt=True)
    assert shared.passphrase
    path = tmp_path / "shared.pdf"
    path.write_bytes(shared.pdf)
    checked = check_file(path, known_roots(recipient))
    assert checked.locked and "passphrase" in (checked.problem or "")
    typed = " " + shared.passphrase.replace("-", "  ").upper()  # as read over the phone
    assert check_file(path, known_roots(recipient), typed).verdict is Verdict.UNCONFIRMED
    _confirm(recipient, path, typed)
    out = tmp_path / "both.pdf"
    countersign(recipient, path, path.read_bytes(), out, passphrase=typed)
    assert check_file(out, known_roots(recipient)).locked  # no passphrase, no reading
    pdfsig_agrees(out, 2, shared.passphrase)


def test_a_checked_document_is_kept_with_a_case_by_its_hash(
    parties: tuple[Vault, Vault], tmp_path: Path
) -> None:
    sender, recipient = parties
    path = _received(tmp_path, sender)
    checked = check_file(path, known_roots(recipient))
    assert checked.signed is not None
    with pytest.raises(SignerNotConfirmed):
        keep_document(recipient, "REC-1", path.read_bytes(), checked.signed)
    _confirm(recipient, path)
    out = tmp_path / "both.pdf"
    countersign(recipient, path, path.read_bytes(), out)
    signed = check_file(out, known_roots(recipient)).signed
    assert signed is not None
    with pytest.raises(UnknownCase):
        keep_document(recipient, "NO-SUCH", out.read_bytes(), signed)
    kept = keep_document(recipient, "REC-1", out.read_bytes(), signed)
    assert kept.title == "Written confirmation"
    with recipient.sessions() as session:
        row = session.scalar(select(ReceivedDocument))
        assert (
            row is not None and row.sha256 == kept.sha256 and row.kind == "countersigned-document"
        )
    assert events(recipient)[-1] == "document.kept"
    from desktop.casework.timeline import view_case
    from desktop.models import Case

    with recipient.sessions() as session:
        case_id = session.scalar(select(Case.id).where(Case.reference == "REC-1"))
    assert case_id is not None
    detail = view_case(recipient, CATALOGUE, case_id, row.received_at)
    assert any("Kept: Written confirmation" in what for _at, what in detail.received)


def test_a_sent_file_is_known_by_its_first_bytes(tmp_path: Path) -> None:
    from desktop.sharing.sealed import MAGIC

    (tmp_path / "a.bin").write_bytes(MAGIC + b"{}\n")
    (tmp_path / "b.txt").write_bytes(b"%PDF-1.7\n%%EOF\n")
    (tmp_path / "c.pdf").write_bytes(b"hello")
    assert kind_of_sent_file(tmp_path / "a.bin") == PACKAGE
    assert kind_of_sent_file(tmp_path / "b.txt") == PDF
    assert kind_of_sent_file(tmp_path / "c.pdf") is None


def test_roots_are_read_on_a_read_only_connection_while_the_vault_is_held(
    parties: tuple[Vault, Vault],
) -> None:
    from desktop.sharing.signatures import trusted_roots
    from desktop.storage.read_only import read_only_database

    sender, _recipient = parties  # the sender's vault stays open (its lock held) meanwhile
    database = sender.files.database.read_bytes()
    with read_only_database(sender.files.folder, sender.material) as connection:
        roots = trusted_roots(connection)
        with pytest.raises(Exception, match=r"readonly|read-only|query_only"):
            connection.execute("DELETE FROM known_signer")
    with sender.sessions() as session:
        assert roots == frozenset(session.scalars(select(KnownSigner.fingerprint)))
    assert sender.files.database.read_bytes() == database
