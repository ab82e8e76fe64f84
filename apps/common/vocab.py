"""Vocabularies shared by models, forms, detectors and the JSON Schemas, each defined once here.

- Signal kinds: the `kind` of a `riskboard.signals/1` signal (docs/contracts.md). `api_only_release`
  and `person_departure` are valid kinds (the contract names them) before any detector emits them.
- Severities: of a signal and of an alert rule's threshold, in ascending order.

Vendor slugs live with the names that point at each vendor, in `apps/common/vendors.py`.
`tests/common/test_vocab.py` checks that the schemas in apps/jobs/schemas/ list exactly these values.
"""

from typing import Literal, get_args

SignalKind = Literal[
    "new_release",
    "cadence_slip",
    "license_change",
    "price_change",
    "deprecation",
    "repo_archived",
    "leadership_change",
    "news",
    "api_only_release",
    "person_departure",
]
SIGNAL_KINDS: tuple[SignalKind, ...] = get_args(SignalKind)
_KIND_LABELS = {"api_only_release": "API-only release", "repo_archived": "Repository archived"}
SIGNAL_KIND_CHOICES = [
    (kind, _KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())) for kind in SIGNAL_KINDS
]
# Kinds Riskboard raises itself and no producer sends (not in the riskboard.signals/1 schema): a
# stored signal may have one and alert rules deliver it, but nobody records or pushes one.
# `archive_unverified`: an archive copy failed its re-hash (apps/archive/alerts.py).
INTERNAL_SIGNAL_KIND_CHOICES = [("archive_unverified", "Archive copy failed its check")]
STORED_SIGNAL_KIND_CHOICES = SIGNAL_KIND_CHOICES + INTERNAL_SIGNAL_KIND_CHOICES

Severity = Literal["info", "warning", "critical"]
SEVERITIES: tuple[Severity, ...] = get_args(Severity)  # ascending: a rule's threshold compares ranks
SEVERITY_RANK: dict[str, int] = {severity: rank for rank, severity in enumerate(SEVERITIES)}
SEVERITY_CHOICES = [(severity, severity.capitalize()) for severity in SEVERITIES]
