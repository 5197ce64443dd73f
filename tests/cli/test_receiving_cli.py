"""The other party at the command line: verify, confirm, countersign, keep, receive, receipt.

On the old code: ``verify`` refused to run while the window held the vault
("already open in another Escalation Recorder window"), printed each signature
on one long line, and ``countersign`` signed an unknown signer's file without
a word, even over the input file itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.cli.main import run
from desktop.sharing.signatures import check_file, known_roots
from desktop.storage.vault import unlock_with_passphrase
from desktop.text.fingerprint_words import fingerprint_words
from tests.conftest import PASSPHRASE, run_cli
from tests.factories import escalated_case, profiled_vault
from tests.sharing.parties import (
    CATALOGUE,
    RECIPIENT,
    SENDER,
    document,
    event_count,
    pdfsig_agrees,
    require_poppler,
    withdrawn_case_sender,
)


@pytest.fixture
def folders(tmp_path: Path) -> Iterator[tuple[Path, Path, Path]]:
    """The sender's and recipient's vault folders (closed) and a confirmation received."""
    require_poppler()
    sender = profiled_vault(tmp_path / "sender", *SENDER)
    recipient = profiled_vault(tmp_path / "recipient", *RECIPIENT)
    escalated_case(sender, CATALOGUE, "DOC-1")
    escalated_case(recipient, CATALOGUE, "REC-1")
    received = tmp_path / "received.pdf"
    received.write_bytes(document(sender).pdf)
    sender.close()
    recipient.close()
    yield sender.files.folder, recipient.files.folder, received


def _words(path: Path) -> str:
    [report] = check_file(path, frozenset()).reports
    return fingerprint_words(report.root_fingerprint)


@pytest.mark.slow
def test_verify_reads_while_the_window_holds_the_vault_and_prints_a_few_lines(
    folders: tuple[Path, Path, Path],
) -> None:
    sender, _recipient, received = folders
    with unlock_with_passphrase(sender, PASSPHRASE, origin="app") as held:  # the window
        before = event_count(held)
        result = run_cli("--vault", str(sender), "verify", str(received))
        assert result.returncode == 0, result.stdout + result.stderr  # its own root: trusted
        assert event_count(held) == before  # read only: nothing recorded, nothing written
    assert "No vault was opened" not in result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"{received}: Trusted and unchanged"
    assert "  Signature1: trusted and unchanged" in lines
    assert "    Signed by:         Alex Example (fictional)" in lines
    assert "    Role:              Designated Safeguarding Lead" in lines
    assert f"    Fingerprint words: {_words(received)}" in lines
    assert max(len(line) for line in lines) < 120  # no 600-character line


@pytest.mark.slow
def test_verify_opens_an_encrypted_pdf_with_the_words_from_a_named_variable(
    tmp_path: Path,
) -> None:
    require_poppler()
    sender = profiled_vault(tmp_path / "sender", *SENDER)
    escalated_case(sender, CATALOGUE, "DOC-1")
    shared = document(sender, encrypt=True)
    sender.close()
    assert shared.passphrase
    path = tmp_path / "shared.pdf"
    path.write_bytes(shared.pdf)
    home = str(sender.files.folder)
    asked = run_cli("--vault", home, "verify", str(path), "--passphrase-env", "WORDS_READ_TO_ME")
    assert asked.returncode == 2 and "WORDS_READ_TO_ME" in asked.stderr
    typed = shared.passphrase.replace("-", " ").title()  # as heard: spaces and capitals
    env = {"WORDS_READ_TO_ME": typed}
    opened = run_cli(
        "--vault", home, "verify", str(path), "--passphrase-env", "WORDS_READ_TO_ME", env=env
    )
    assert opened.returncode == 0, opened.stdout + opened.stderr
    assert "Trusted and unchanged" in opened.stdout


@pytest.mark.slow
def test_countersign_refuses_an_unconfirmed_signer_then_confirms_by_words_and_signs(
    folders: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _sender, recipient, received = folders
    home, out = str(recipient), tmp_path / "both.pdf"
    refused = run_cli("--vault", home, "countersign", str(received), "-o", str(out))
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1, refused.stderr
    assert "--accept-unconfirmed" in refused.stderr and "signers confirm" in refused.stderr
    assert not out.exists()  # the old code countersigned it without a word
    unconfirmed = run_cli("--vault", home, "verify", str(received))
    assert unconfirmed.returncode == 3 and "NOT confirmed" in unconfirmed.stdout
    wrong = run_cli(
        "--vault", home, "signers", "confirm", str(received), "--words", "glade brisk pecan"
    )
    assert wrong.returncode == 2 and "not the fingerprint words" in wrong.stderr
    heard = _words(received).upper().replace(" ", "  ")
    confirmed = run_cli("--vault", home, "signers", "confirm", str(received), "--words", heard)
    assert confirmed.returncode == 0, confirmed.stderr
    assert run_cli("--vault", home, "verify", str(received)).returncode == 0
    itself = run_cli("--vault", home, "countersign", str(received), "-o", str(received), "--force")
    assert itself.returncode == 2 and "new file" in itself.stderr
    link = tmp_path / "link.pdf"
    link.symlink_to(received)
    via_link = run_cli("--vault", home, "countersign", str(received), "-o", str(link), "--force")
    assert via_link.returncode == 2 and "new file" in via_link.stderr
    signed = run_cli("--vault", home, "countersign", str(received), "-o", str(out))
    assert signed.returncode == 0, signed.stderr
    pdfsig_agrees(out, 2)
    again = run_cli("--vault", home, "countersign", str(out), "-o", str(tmp_path / "3.pdf"))
    assert again.returncode == 2 and "already countersigned" in again.stderr
    kept = run_cli("--vault", home, "keep", str(out), "--case", "REC-1")
    assert kept.returncode == 0 and "Kept Written confirmation with case REC-1" in kept.stdout
    listed = run_cli("--vault", home, "signers", "list")
    assert "(your own signing root)" in listed.stdout and _words(received) in listed.stdout
    number = next(
        line.split()[0] for line in listed.stdout.splitlines() if "Nowhere Primary" in line
    )
    withdrawn = run_cli("--vault", home, "signers", "withdraw", number)
    assert withdrawn.returncode == 0 and "no longer a confirmed signer" in withdrawn.stdout
    assert run_cli("--vault", home, "verify", str(received)).returncode == 3


@pytest.mark.slow
def test_countersign_accepts_an_unconfirmed_signer_only_on_purpose_and_says_so(
    folders: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _sender, recipient, received = folders
    out = tmp_path / "both.pdf"
    accepted = run_cli(
        "--vault",
        str(recipient),
        "countersign",
        str(received),
        "-o",
        str(out),
        "--accept-unconfirmed",
    )
    assert accepted.returncode == 0, accepted.stderr
    assert "warning" in accepted.stderr and "not confirmed" not in accepted.stdout
    pdfsig_agrees(out, 2)


@pytest.mark.slow
def test_receive_previews_then_imports_names_the_receipt_and_saves_it_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from desktop.sharing.transfers import send_transfer

    sender = withdrawn_case_sender(tmp_path / "sender")
    package = tmp_path / "package.erpkg"
    sent = send_transfer(sender, CATALOGUE, "C-1042", "Imaginary", dt.datetime.now(dt.UTC), package)
    sender.close()
    profiled_vault(tmp_path / "recipient", *RECIPIENT).close()
    home = str(tmp_path / "recipient")
    monkeypatch.setenv("ESCALATION_RECORDER_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("ESCALATION_RECORDER_PACKAGE_PASSPHRASE", sent.passphrase or "")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.chdir(tmp_path)
    assert run(["--vault", home, "transfer", "receive", str(package)]) == 0
    shown = capsys.readouterr().out
    assert "Berkshire" in shown and "(2026-03)" in shown  # the procedure and its version
    assert "withdrawn on 05/01/2027" in shown and "Fingerprint words:" in shown
    assert "Nothing was imported" in shown
    assert run(["--vault", home, "transfer", "receive", str(package), "--yes", "--trust"]) == 0
    receipt = tmp_path / f"receipt-transfer-{sent.transfer_id[:8]}.pdf"
    assert receipt.exists() and str(receipt.name) in capsys.readouterr().out
    assert run(["--vault", home, "transfer", "list"]) == 0
    listed = capsys.readouterr().out
    assert "received from Alex Example (fictional)" in listed and "sent back" not in listed
    again = tmp_path / "again.pdf"
    assert (
        run(["--vault", home, "transfer", "receipt", sent.transfer_id[:8], "-o", str(again)]) == 0
    )
    assert again.read_bytes() == receipt.read_bytes()
    with unlock_with_passphrase(Path(home), PASSPHRASE) as recipient:
        assert known_roots(recipient)  # its own and the sender's


def test_certificate_prints_the_root_fingerprint_words_the_recipient_sees(
    folders: tuple[Path, Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sender, _recipient, received = folders
    monkeypatch.setenv("ESCALATION_RECORDER_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    assert run(["--vault", str(sender), "certificate", "-o", str(tmp_path / "me.pem")]) == 0
    printed = capsys.readouterr().out
    [report] = check_file(received, frozenset()).reports
    assert (
        f"Your fingerprint words (read them to anyone who checks what you sign): {_words(received)}"
        in printed
    )
    assert f"Your signing root's SHA-256: {report.root_fingerprint}" in printed
