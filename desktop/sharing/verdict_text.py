"""The three verdicts on a signed document, in the words both front doors use.

Trusted and unchanged; unchanged but the signer not confirmed; changed or
broken (and, apart, a file that could not be read at all). The command
line's exit statuses follow the same three: 0, 3 and 1 (2 for unreadable).
"""

from __future__ import annotations

from desktop.documents.received_pdf import SignedFile
from desktop.documents.signing import SignatureReport, Verdict

HEADLINES = {
    Verdict.TRUSTED: "Trusted and unchanged",
    Verdict.UNCONFIRMED: "Unchanged, but the signer is not confirmed",
    Verdict.INVALID: "Changed or broken: do not rely on it",
    Verdict.UNREADABLE: "Could not be checked",
}

LOCKED = "Encrypted: it opens with the six words the sender read to you"
LOCKED_EXPLANATION = (
    "Type the six words above (spaces and capitals do not matter), then Open. In any other "
    "PDF reader, type them as the sender gave them: lower case, joined by hyphens."
)


def signature_state(report: SignatureReport) -> str:
    """One signature's state in a few words."""
    if report.changed_after_signing:
        return "changed after it was signed"
    if not report.intact:
        return "altered since it was signed"
    if not report.valid:
        return "broken: its certificate chain is not valid"
    return "trusted and unchanged" if report.known else "unchanged, signer not confirmed"


def explanation(signed: SignedFile) -> str:
    """What the verdict means for the reader, and what to do next."""
    reports = signed.reports
    if not reports:
        return "It carries no signature, so nothing shows who made it or that it is unchanged."
    if any(r.changed_after_signing for r in reports):
        return (
            "Something was added after it was signed, so what you see may not be what was "
            "signed. Ask the sender for a fresh copy."
        )
    if any(not r.valid for r in reports):
        return (
            "It was altered after it was signed, or its signature is damaged. Do not rely "
            "on it; ask the sender for a fresh copy."
        )
    if signed.verdict is Verdict.UNCONFIRMED:
        return (
            "Nothing in it was changed since it was signed, but you have not confirmed who "
            "signed it. Ring the sender on a number you already know and ask them to read "
            "their fingerprint words; if they match the words below, confirm the signer."
        )
    return "Nothing in it was changed since it was signed, and every signer is one you trust."


def countersign_offer(signed: SignedFile, signed_by_me: bool) -> str:
    """Why countersigning is or is not offered for this document (one sentence)."""
    if not signed.asks_for_countersignature:
        return "This document does not ask for another signature."
    if signed_by_me:
        return "You have signed this document; it is for the other party to countersign."
    if signed.verdict is Verdict.UNCONFIRMED:
        return "It asks for your countersignature: confirm the signer first."
    if signed.verdict is not Verdict.TRUSTED:
        return "It cannot be countersigned: it was changed or is broken."
    return "It asks for your countersignature."
