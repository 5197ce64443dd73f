"""ORM tables and domain enums. No Qt, no I/O beyond the session."""

from desktop.models.base import Base, UTCDateTime, from_stored_text, stored_text, utcnow
from desktop.models.cases import (
    AgreedAction,
    Case,
    Child,
    Discussion,
    PlanStatus,
    ProcedureDefinition,
    StageOutcome,
    StageRecord,
)
from desktop.models.people import Agency, Contact, Profile, Setting
from desktop.models.records import (
    AuditEpoch,
    AuditEvent,
    KnownSigner,
    ReceivedDocument,
    Redaction,
    RenderedDocument,
    SigningIdentity,
    SubjectAccessExport,
    Transfer,
)

__all__ = [
    "Agency",
    "AgreedAction",
    "AuditEpoch",
    "AuditEvent",
    "Base",
    "Case",
    "Child",
    "Contact",
    "Discussion",
    "KnownSigner",
    "PlanStatus",
    "ProcedureDefinition",
    "Profile",
    "ReceivedDocument",
    "Redaction",
    "RenderedDocument",
    "Setting",
    "SigningIdentity",
    "StageOutcome",
    "StageRecord",
    "SubjectAccessExport",
    "Transfer",
    "UTCDateTime",
    "from_stored_text",
    "stored_text",
    "utcnow",
]
