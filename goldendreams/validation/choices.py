"""The words of validation, in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from goldendreams.validation.models import EvidenceType, VerificationMethod

VERIFICATION_METHODS = {
    VerificationMethod.WORKER_INTERVIEWS: _l("We talked with the workers"),
    VerificationMethod.DOCUMENTS: _l("We checked documents"),
    VerificationMethod.SITE_VISIT: _l("We visited the workplace"),
}
EVIDENCE_TYPES = {
    EvidenceType.PDF: _l("PDF document"),
    EvidenceType.JPEG: _l("Photo (JPEG)"),
    EvidenceType.PNG: _l("Picture (PNG)"),
}
