"""What may be appended to a signed PDF: further signatures, and nothing that changes what it says.

pyHanko compares every revision appended after a signature with the signed
one. Its standard rules accept new signature fields with their appearance,
form filling, the security store and timestamps, and treat any other change
(page content, annotations, pages) as a modification. It also accepts any
new document information (/Info: title, subject, keywords); here only the
modification date and the producer may change, as a signing tool writes
them, because receipts carry their transfer id in the keywords and viewers
show the title; the same holds for the XMP metadata.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.metadata.xmp_xml import meta_from_xmp, parse_xmp
from pyhanko.pdf_utils.reader import HistoricalResolver, RawPdfPath
from pyhanko.sign.diff_analysis import (
    CatalogModificationRule,
    DSSCompareRule,
    FormUpdatingRule,
    GenericFieldModificationRule,
    MetadataUpdateRule,
    ModificationLevel,
    ObjectStreamRule,
    SigFieldCreationRule,
    SigFieldModificationRule,
    StandardDiffPolicy,
    SuspiciousModification,
    XrefStreamRule,
)
from pyhanko.sign.diff_analysis.commons import safe_whitelist
from pyhanko.sign.diff_analysis.rules_api import Context, ReferenceUpdate, WhitelistRule

# What a signing tool rewrites in /Info when it appends a signature.
SIGNING_INFO_KEYS = frozenset({"/ModDate", "/Producer"})


def _info(resolver: HistoricalResolver) -> tuple[generic.Reference | None, dict[str, str]]:
    """The /Info reference of one revision and its entries, as that revision sees them."""
    ref = resolver.trailer_view.get_value_as_reference("/Info", optional=True)
    if ref is None:
        return None, {}
    info = resolver.get_object(ref)
    if not isinstance(info, generic.DictionaryObject):
        raise SuspiciousModification("The document information is not a dictionary.")
    return ref, {str(key): str(info[key]) for key in info}


class SigningInfoRule(WhitelistRule):
    """Accept a changed /Info only when nothing but its modification date and producer differ."""

    def apply(self, old: HistoricalResolver, new: HistoricalResolver) -> Iterable[ReferenceUpdate]:
        """Yield the /Info update if it is what signing writes; raise if it says anything new."""
        old_ref, old_info = _info(old)
        new_ref, new_info = _info(new)
        if new_ref is None:
            return
        kept = {k: v for k, v in old_info.items() if k not in SIGNING_INFO_KEYS}
        if {k: v for k, v in new_info.items() if k not in SIGNING_INFO_KEYS} != kept:
            raise SuspiciousModification("The document information was changed after signing.")
        context = Context.from_absolute(old, RawPdfPath("/Info"))
        for ref in safe_whitelist(old, old_ref, new_ref):
            yield ReferenceUpdate(ref, context_checked=context)


def _xmp_facts(resolver: HistoricalResolver) -> tuple[object, ...] | None:
    """What a viewer shows from the XMP metadata of one revision (not dates or producer)."""
    ref = resolver.root.get_value_as_reference("/Metadata", optional=True)
    if ref is None:
        return None
    stream = resolver.get_object(ref)
    if not isinstance(stream, generic.StreamObject):
        raise SuspiciousModification("The XMP metadata is not a stream.")
    try:
        meta = meta_from_xmp(parse_xmp(io.BytesIO(stream.data)))
    except ValueError:
        raise SuspiciousModification("The XMP metadata cannot be read.") from None
    return (meta.title, meta.author, meta.subject, tuple(meta.keywords), meta.creator)


class SigningMetadataRule(MetadataUpdateRule):
    """Accept new XMP metadata only when what it says (title, author...) is unchanged."""

    def apply(self, old: HistoricalResolver, new: HistoricalResolver) -> Iterable[ReferenceUpdate]:
        """Yield pyHanko's approval of the XMP update if its facts equal the signed ones."""
        updates = list(super().apply(old, new))
        if updates and _xmp_facts(old) != _xmp_facts(new):
            raise SuspiciousModification("The XMP metadata was changed after signing.")
        yield from updates


# pyHanko's DEFAULT_DIFF_POLICY, rule for rule, with SigningInfoRule for its DocInfoRule
# and SigningMetadataRule for its MetadataUpdateRule.
_SIGNING = ModificationLevel.LTA_UPDATES
SIGNED_DOCUMENT_POLICY = StandardDiffPolicy(
    global_rules=[
        CatalogModificationRule(),  # type: ignore[no-untyped-call]  # untyped upstream
        SigningInfoRule().as_qualified(_SIGNING),
        XrefStreamRule().as_qualified(_SIGNING),
        ObjectStreamRule().as_qualified(_SIGNING),
        DSSCompareRule().as_qualified(_SIGNING),
        SigningMetadataRule().as_qualified(_SIGNING),  # type: ignore[no-untyped-call]  # untyped upstream
    ],
    form_rule=FormUpdatingRule(
        field_rules=[
            SigFieldCreationRule(),  # type: ignore[no-untyped-call]  # untyped upstream
            SigFieldModificationRule(),
            GenericFieldModificationRule(),
        ],
    ),
)
