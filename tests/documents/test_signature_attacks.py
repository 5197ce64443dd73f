"""A signed PDF changed after signing: appended revisions built with pyHanko's own writer."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from desktop.documents.signing import verify_pdf
from desktop.errors import InvalidInput
from desktop.sharing.signatures import countersign
from desktop.sharing.signers import trust_signer, verify
from desktop.storage.vault import Vault
from tests.conftest import run_cli
from tests.factories import COUNTERPART, profiled_vault
from tests.sharing.test_signed_documents import _pdfsig, _render, _text, _write, case_vault

__all__ = ["case_vault"]  # the fixture, shared with test_documents

WITHDRAWN = b"CONCERN WITHDRAWN"


def _append(pdf: bytes, change: Callable[[IncrementalPdfFileWriter], None]) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    change(writer)
    out = io.BytesIO()
    writer.write(out)  # type: ignore[no-untyped-call]  # untyped upstream
    return out.getvalue()


def _font() -> generic.DictionaryObject:
    return generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/Font"),
            pdf_name("/Subtype"): pdf_name("/Type1"),
            pdf_name("/BaseFont"): pdf_name("/Helvetica-Bold"),
        }
    )


def _paint_over_page_one(writer: IncrementalPdfFileWriter) -> None:
    """White out the top of page 1 and write CONCERN WITHDRAWN over it."""
    stream = generic.StreamObject(
        stream_data=b"q 1 1 1 rg 30 600 540 200 re f 0 0 0 rg BT /FAtk 28 Tf 60 700 Td ("
        + WITHDRAWN
        + b") Tj ET Q"
    )
    resources = generic.DictionaryObject(
        {pdf_name("/Font"): generic.DictionaryObject({pdf_name("/FAtk"): _font()})}
    )
    writer.add_stream_to_page(0, writer.add_object(stream), resources=resources)


def _replace_info(writer: IncrementalPdfFileWriter) -> None:
    info = generic.DictionaryObject(
        {
            pdf_name("/Title"): generic.TextStringObject("CONCERN WITHDRAWN"),
            pdf_name("/Keywords"): generic.TextStringObject("forged"),
        }
    )
    writer.set_info(info)  # type: ignore[no-untyped-call]  # untyped upstream


def _rewrite_info_in_place(writer: IncrementalPdfFileWriter) -> None:
    """Change the title and keywords in the existing /Info object, as pyHanko's writer does."""
    writer.document_meta.keywords = ["forged"]
    writer.document_meta.title = "CONCERN WITHDRAWN"
    writer.update_root()  # something to write: the metadata goes with it


def _replace_xmp(writer: IncrementalPdfFileWriter) -> None:
    """Give the document new XMP metadata with a title and keywords, leaving /Info alone."""
    from pyhanko.pdf_utils.metadata.model import DocumentMetadata
    from pyhanko.pdf_utils.metadata.xmp_xml import MetadataStream, update_xmp_with_meta

    forged = DocumentMetadata(title="CONCERN WITHDRAWN", keywords=["forged"])
    stream = MetadataStream.from_xmp(update_xmp_with_meta(forged))  # type: ignore[no-untyped-call]  # untyped upstream
    writer.root[pdf_name("/Metadata")] = writer.add_object(stream)
    writer.update_root()


def _add_annotation(writer: IncrementalPdfFileWriter) -> None:
    annot = generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/Annot"),
            pdf_name("/Subtype"): pdf_name("/FreeText"),
            pdf_name("/Rect"): generic.ArrayObject(map(generic.NumberObject, (40, 640, 560, 780))),
            pdf_name("/Contents"): generic.TextStringObject("CONCERN WITHDRAWN"),
            pdf_name("/DA"): generic.TextStringObject("/Helv 28 Tf 0 g"),
        }
    )
    page_ref, _resources = writer.find_page_for_modification(0)
    writer.register_annotation(page_ref, writer.add_object(annot))  # type: ignore[no-untyped-call]  # untyped upstream


def _add_page(writer: IncrementalPdfFileWriter) -> None:
    content = writer.add_object(
        generic.StreamObject(stream_data=b"BT /FAtk 28 Tf 60 700 Td (" + WITHDRAWN + b") Tj ET")
    )
    page = generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/Page"),
            pdf_name("/MediaBox"): generic.ArrayObject(map(generic.NumberObject, (0, 0, 595, 842))),
            pdf_name("/Contents"): content,
            pdf_name("/Resources"): generic.DictionaryObject(
                {pdf_name("/Font"): generic.DictionaryObject({pdf_name("/FAtk"): _font()})}
            ),
        }
    )
    writer.insert_page(page)  # type: ignore[no-untyped-call]  # untyped upstream


ATTACKS = {
    "page content": _paint_over_page_one,
    "replaced info": _replace_info,
    "info rewritten in place": _rewrite_info_in_place,
    "replaced xmp": _replace_xmp,
    "new annotation": _add_annotation,
    "extra page": _add_page,
}


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_a_revision_appended_after_signing_is_reported_as_changed(
    case_vault: Vault, tmp_path: Path, attack: str
) -> None:
    signed = _render(case_vault, "summary")
    changed = _append(signed, ATTACKS[attack])
    if attack == "page content":
        assert "CONCERN WITHDRAWN" in _text(_write(tmp_path, "shown.pdf", changed))
    reports = verify_pdf(changed, set())
    assert [r.intact for r in reports] == [True]  # the signed bytes themselves are untouched
    assert [r.valid for r in reports] == [False]
    assert [r.changed_after_signing for r in reports] == [True]
    with pytest.raises(InvalidInput, match="changed"):
        countersign(case_vault, tmp_path / "changed.pdf", changed, tmp_path / "countersigned.pdf")
    assert not (tmp_path / "countersigned.pdf").exists()


def test_the_verify_command_says_changed_after_signing_and_exits_1(
    case_vault: Vault, tmp_path: Path
) -> None:
    signed = _render(case_vault, "summary")
    changed = _write(tmp_path, "changed.pdf", _append(signed, _paint_over_page_one))
    vault = str(case_vault.files.folder)
    case_vault.close()
    result = run_cli("--vault", vault, "verify", str(changed))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "changed after" in result.stdout and "Trusted and unchanged" not in result.stdout
    refused = run_cli("--vault", vault, "countersign", str(changed), "-o", str(tmp_path / "c.pdf"))
    assert refused.returncode == 1 and "changed after" in refused.stderr
    assert not (tmp_path / "c.pdf").exists()


def test_a_countersigned_document_stays_valid_for_the_app_and_for_pdfsig(
    case_vault: Vault, tmp_path: Path
) -> None:
    first = _render(case_vault, "confirmation", stage_id="2")
    other = profiled_vault(tmp_path / "other", *COUNTERPART)
    with other.sessions.begin() as session:
        trust_signer(session, other.audit_key, verify(session, first)[0])
    countersign(other, tmp_path / "first.pdf", first, tmp_path / "countersigned.pdf")
    other.close()
    both = (tmp_path / "countersigned.pdf").read_bytes()
    reports = verify_pdf(both, set())
    assert [(r.intact, r.valid, r.changed_after_signing) for r in reports] == [
        (True, True, False),
        (True, True, False),
    ]
    assert reports[0].certified and not reports[1].certified
    shown = _pdfsig(_write(tmp_path, "both.pdf", both))
    assert shown.count("Signature is Valid.") == 2
    # Changing it after the countersignature invalidates both signatures.
    changed = verify_pdf(_append(both, _paint_over_page_one), set())
    assert [r.valid for r in changed] == [False, False]


def test_a_confirmation_is_certified_with_an_empty_box_for_the_other_party(
    case_vault: Vault, tmp_path: Path
) -> None:
    pdf = _render(case_vault, "confirmation", stage_id="2")
    [report] = verify_pdf(pdf, set())
    assert report.certified and report.valid
    shown = _pdfsig(_write(tmp_path, "confirmation.pdf", pdf))
    assert "Signature Field Name: Signature1" in shown and "Signature is Valid." in shown
    assert "Signature Field Name: Signature2\n  The signature form field is not signed." in shown
