"""The document preview: real pages, and the same bytes saved, printed and shared encrypted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from desktop.documents.signing import is_encrypted, verify_pdf
from desktop.models import RenderedDocument
from desktop.ui.document_preview import DocumentPreview, document_name
from desktop.ui.documents_panel import DocumentsPanel
from desktop.ui.passphrase_dialog import PassphraseDialog
from desktop.ui.pdf_pages import opened, page_images, page_texts
from desktop.ui.print_choice import PrintChoice
from desktop.ui.services import Services
from tests.factories import escalated_case

CHILD = "PUPIL-PREVIEW-77"


def _panel(qtbot: QtBot, services: Services) -> DocumentsPanel:
    """A documents panel on a Berkshire case at level 2 (its written confirmation offered)."""
    case_id = escalated_case(
        services.vault,
        services.catalogue,
        "ESC-0001",
        dt.datetime(2026, 11, 20, 15, tzinfo=dt.UTC),
        identifier=CHILD,
    )
    panel = DocumentsPanel(services)
    qtbot.addWidget(panel)
    panel.show_case(case_id, "ESC-0001", "2")
    return panel


def _preview(qtbot: QtBot, panel: DocumentsPanel) -> DocumentPreview:
    panel.generate_button.click()
    qtbot.waitUntil(lambda: panel.preview is not None, timeout=20_000)
    assert panel.preview is not None
    return panel.preview


def _save_to(monkeypatch: pytest.MonkeyPatch, target: Path) -> list[str]:
    offered: list[str] = []

    def save_as(_parent: object, _caption: str, suggested: str, _filters: str) -> tuple[str, str]:
        offered.append(suggested)
        return str(target), "PDF documents (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    return offered


def _sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's size in points."""
    with opened(pdf) as document:
        return [document.get_page_size(index) for index in range(len(document))]


def _thumbnail(image: QImage) -> bytes:
    """The page at a tenth of 300 dpi, smoothed: resampling noise averages out."""
    small = image.scaled(
        248, 351, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    return small.constBits().tobytes()


def _same(first: QImage, second: QImage) -> bool:
    return first.size() == second.size() and first.constBits() == second.constBits()


def test_the_name_offered_has_reference_document_and_stage_never_the_child() -> None:
    assert document_name("ESC-0001", "confirmation", "B") == (
        "ESC-0001 written confirmation stage B.pdf"
    )
    assert document_name("ESC-0001", "summary", None) == "ESC-0001 child file summary.pdf"
    assert (
        document_name("A/B:C", "notification", "2") == "A-B-C partnership notification stage 2.pdf"
    )


def test_the_pages_shown_are_the_bytes_saved(
    qtbot: QtBot, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = _panel(qtbot, services)
    preview = _preview(qtbot, panel)
    assert preview.isVisible() and preview.isModal()
    assert len(preview.pages.pages) == len(page_images(preview.pdf, 20)) >= 1
    target = tmp_path / "chosen.pdf"
    offered = _save_to(monkeypatch, target)
    preview.save_button.click()
    assert Path(offered[0]).name == "ESC-0001 written confirmation stage 2.pdf"
    assert CHILD not in offered[0]
    assert target.read_bytes() == preview.pdf  # the very bytes on screen
    shown, saved = preview.pages.images, page_images(target.read_bytes(), 150)
    assert all(_same(a, b) for a, b in zip(shown, saved, strict=True))
    assert [r.intact and r.valid for r in verify_pdf(target.read_bytes(), set())] == [True]
    assert preview.message.text() == f"Saved as chosen.pdf in {tmp_path}."
    assert "SHA-256" in preview.details.body.text() and not preview.details.expanded
    assert "SHA-256" not in preview.message.text()  # the hash is behind Details
    preview.save_button.click()
    assert Path(offered[1]).parent == tmp_path  # the last folder used comes next
    with services.vault.sessions() as session:  # recorded once, when it was made
        assert session.scalar(select(func.count()).select_from(RenderedDocument)) == 1


def test_print_draws_the_same_pages_at_their_true_size_and_ctrl_p_prints(
    qtbot: QtBot, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    preview = _preview(qtbot, _panel(qtbot, services))
    printed = tmp_path / "printed.pdf"
    asked: list[object] = []

    def to_file(parent: object) -> QPrinter:
        asked.append(parent)
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return printer

    monkeypatch.setattr(PrintChoice, "ask", to_file)
    qtbot.keyClick(preview, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: preview.message.text().startswith("Sent"), timeout=20_000)
    assert asked == [preview] and preview.message.text() == "Sent 1 page to the printer."
    [(width, height)], [(printed_width, printed_height)] = (
        _sizes(preview.pdf),
        _sizes(printed.read_bytes()),
    )
    assert abs(width - printed_width) < 1 and abs(height - printed_height) < 1  # not fitted
    original, copy = page_images(preview.pdf, 300), page_images(printed.read_bytes(), 300)
    a, b = _thumbnail(original[0]), _thumbnail(copy[0])
    difference = sum(abs(x - y) for x, y in zip(a, b, strict=True)) / len(a)
    one_row_down = a[len(a) // 351 :] + a[: len(a) // 351]
    moved = sum(abs(x - y) for x, y in zip(a, one_row_down, strict=True)) / len(a)
    assert difference < moved / 4, (difference, moved)  # the same page, not one shifted a line
    assert page_texts(preview.pdf)[0].split()[:3] == ["Written", "confirmation", "Level"]


def test_share_encrypted_saves_the_same_pages_locked_and_shows_the_passphrase(
    qtbot: QtBot, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    preview = _preview(qtbot, _panel(qtbot, services))
    target = tmp_path / "shared.pdf"
    offered = _save_to(monkeypatch, target)
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        PassphraseDialog, "ask", lambda parent, words, saved: shown.append((words, saved))
    )
    preview.share_button.click()
    qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    assert Path(offered[0]).name == "ESC-0001 written confirmation stage 2 (encrypted).pdf"
    words, saved = shown[0]
    assert len(words.split("-")) == 6 and saved.startswith("The encrypted copy is saved")
    data = target.read_bytes()
    assert is_encrypted(data) and CHILD.encode() not in data
    import pypdfium2

    opened = pypdfium2.PdfDocument(data, password=words)
    assert len(opened) == len(preview.pages.pages)
    opened.close()
    with services.vault.sessions() as session:
        assert session.scalar(select(func.count()).select_from(RenderedDocument)) == 2


def test_open_in_viewer_asks_to_save_first_and_says_when_no_viewer_opens(
    qtbot: QtBot, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    preview = _preview(qtbot, _panel(qtbot, services))
    target = tmp_path / "to-open.pdf"
    offered = _save_to(monkeypatch, target)
    opened: list[str] = []

    def no_viewer(url: object) -> bool:
        opened.append(str(url))
        return False

    monkeypatch.setattr("desktop.ui.document_preview.QDesktopServices.openUrl", no_viewer)
    preview.open_button.click()
    assert len(offered) == 1 and target.read_bytes() == preview.pdf
    assert opened and opened[0].endswith("to-open.pdf')")
    assert preview.message.text().startswith("No PDF viewer could be opened on this computer")
    preview.open_button.click()
    assert len(offered) == 1 and len(opened) == 2  # the saved copy again, no second question


def test_a_place_inside_the_vault_is_refused_on_screen(
    qtbot: QtBot, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    preview = _preview(qtbot, _panel(qtbot, services))
    _save_to(monkeypatch, services.vault.files.folder / "inside.pdf")
    preview.save_button.click()
    assert "inside the vault folder" in preview.message.text()
    assert not (services.vault.files.folder / "inside.pdf").exists()


def test_a_document_signed_while_the_vault_locks_is_neither_recorded_nor_shown(
    qtbot: QtBot, services: Services
) -> None:
    from desktop.storage.vault import unlock_with_passphrase
    from desktop.ui.worker import wait_for_workers
    from tests.conftest import PASSPHRASE

    panel = _panel(qtbot, services)
    panel.generate_button.click()  # the answer is queued: handled after the lock below
    wait_for_workers()
    services.vault.close()
    qtbot.waitUntil(panel.generate_button.isEnabled, timeout=15_000)
    assert panel.preview is None and panel.status.text()
    folder = services.vault.files.folder
    with unlock_with_passphrase(folder, PASSPHRASE) as again, again.sessions() as session:
        assert session.scalar(select(func.count()).select_from(RenderedDocument)) == 0


def test_the_passphrase_can_be_copied(qtbot: QtBot) -> None:
    dialog = PassphraseDialog("oak-fig-bat-cod-elm-yew", "Saved as x.pdf.")
    qtbot.addWidget(dialog)
    assert "by telephone" in dialog.findChild(object, "passphraseAdvice").text()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    clipboard = QGuiApplication.clipboard()
    assert clipboard.text() == "oak-fig-bat-cod-elm-yew"
    clipboard.clear()


def _printer_to(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


@pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints", "QPainter::begin", "QPdfWriter"
)
def test_a_printer_that_cannot_start_is_said_on_screen(
    qtbot: QtBot, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    preview = _preview(qtbot, _panel(qtbot, services))
    monkeypatch.setattr(PrintChoice, "ask", lambda parent: _printer_to(tmp_path / "no" / "x.pdf"))
    preview.print_button.click()
    qtbot.waitUntil(lambda: "could not be started" in preview.message.text())
    assert preview.message.text() == "The printer could not be started; nothing more was printed."
    assert preview.print_button.isEnabled()


def test_closing_the_preview_mid_print_stops_the_run(
    qtbot: QtBot, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    preview = _preview(qtbot, _panel(qtbot, services))
    monkeypatch.setattr(PrintChoice, "ask", lambda parent: _printer_to(tmp_path / "x.pdf"))
    preview.print_button.click()  # the first page goes at the next turn of the event loop
    run = preview._run
    assert run is not None and run.running and not preview.save_button.isEnabled()
    preview.done(0)  # as locking the vault does
    assert not run.running
