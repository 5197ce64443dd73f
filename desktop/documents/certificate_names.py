"""Who a certificate names, in plain words: name, role and organisation, never raw labels."""

from __future__ import annotations

from dataclasses import dataclass

from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]  # no stubs


@dataclass(frozen=True)
class NamedParty:
    """A person or organisation as a certificate names them (any part may be empty)."""

    name: str = ""
    role: str = ""
    organisation: str = ""

    @property
    def line(self) -> str:
        """Name, role and organisation joined by commas ("unknown" when it names none)."""
        parts = (self.name, self.role, self.organisation)
        return ", ".join(part for part in parts if part) or "unknown"


def _first(values: object) -> str:
    """One attribute's value: a certificate may repeat an attribute; the first one counts."""
    if isinstance(values, list | tuple):
        return _first(values[0]) if values else ""
    return values if isinstance(values, str) else ""


def party_of(cert: asn1_x509.Certificate | None) -> NamedParty:
    """Read the common name, title and organisation from a certificate's subject."""
    if cert is None:
        return NamedParty()
    subject = cert.subject.native
    return NamedParty(
        _first(subject.get("common_name")),
        _first(subject.get("title")),
        _first(subject.get("organization_name")),
    )


def root_name(cert: asn1_x509.Certificate | None) -> str:
    """A root certificate's owner: its organisation, else its common name."""
    if cert is None:
        return "no root certificate"
    party = party_of(cert)
    return party.organisation or party.name or "an unnamed root certificate"
