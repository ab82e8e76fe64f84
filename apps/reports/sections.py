"""The client exposure report, built from a short list of sections.

A section is one `Section` entry: a builder that reads the database for a `ReportScope` and returns
plain JSON data (or None to leave the section out), the HTML template that shows it, and optionally a
`table` (headers + rows) that the PDF and the XLSX export print. The whole report is therefore plain
JSON: a frozen share link stores it as it was, and every export renders the same data.

Adding a section (e.g. the budget split or migration plans when they land) is a builder, a template
`templates/reports/sections/<key>.html` and one `register_section(...)` line at the bottom.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from apps.accounts.models import Client, Organization
from apps.inventory.models import Dependency, Workflow
from apps.inventory.selectors import vendor_risks_for_organization

REPORT_SCHEMA = "riskboard.report/1"
SIGNALS_WINDOW = timedelta(days=90)
SIGNALS_SHOWN = 25
BANDS = ("high", "medium", "low")
UNKNOWN_VENDOR = "Unknown vendor"


@dataclass(frozen=True)
class ReportScope:
    """Whose report: one client of an agency, or (client None) the whole organization."""

    organization: Organization
    client: Client | None = None

    def workflows(self) -> QuerySet[Workflow]:
        workflows = Workflow.objects.filter(organization=self.organization)
        if self.client is not None:
            workflows = workflows.filter(client=self.client)
        return (
            workflows.select_related("client")
            .prefetch_related(
                Prefetch(
                    "dependencies",
                    queryset=Dependency.objects.select_related("model__vendor", "via_tool").order_by(
                        "-role", "id"
                    ),
                )
            )
            .order_by("-exposure_score", "name")
        )


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    build: Callable[[ReportScope, list[Workflow]], dict | None]
    # data → (headers, rows) for the PDF and XLSX; None when the section has no table.
    table: Callable[[dict], tuple[list[str], list[list]]] | None = None


SECTIONS: list[Section] = []


def register_section(section: Section, *, after: str | None = None) -> None:
    """Add a section to every report (after the named one, or at the end)."""
    SECTIONS[:] = [existing for existing in SECTIONS if existing.key != section.key]
    keys = [existing.key for existing in SECTIONS]
    SECTIONS.insert(keys.index(after) + 1 if after in keys else len(SECTIONS), section)


def report_build(*, organization: Organization, client: Client | None = None) -> dict:
    """The report as plain JSON: what the page, the exports and frozen share links render."""
    scope = ReportScope(organization=organization, client=client)
    workflows = list(scope.workflows())
    sections = []
    for section in SECTIONS:
        data = section.build(scope, workflows)
        if data is not None:
            sections.append({"key": section.key, "title": section.title, "data": data})
    return {
        "schema": REPORT_SCHEMA,
        "organization": {"name": organization.name, "slug": organization.slug, "kind": organization.kind},
        "client": {"name": client.name, "slug": client.slug} if client else None,
        "generated_at": timezone.now().isoformat(),
        "workflow_names": [workflow.name for workflow in workflows],
        "sections": sections,
    }


def section_table(key: str, data: dict) -> tuple[list[str], list[list]] | None:
    section = next((section for section in SECTIONS if section.key == key), None)
    return section.table(data) if section and section.table else None


# --- helpers -------------------------------------------------------------------------------------


def _primary(workflow: Workflow) -> list[Dependency]:
    return [d for d in workflow.dependencies.all() if d.role == Dependency.Role.PRIMARY]


def _model_label(dependency: Dependency) -> str:
    return dependency.model.name if dependency.model_id else dependency.declared_model


def _vendor_name(dependency: Dependency) -> str:
    return dependency.model.vendor.name if dependency.model_id else UNKNOWN_VENDOR


def spend_by_vendor(workflows: list[Workflow]) -> dict[str, float]:
    """Monthly cost per vendor: a workflow's cost split equally among its primary dependencies."""
    spend: dict[str, float] = {}
    for workflow in workflows:
        primary = _primary(workflow)
        if workflow.monthly_cost is None or not primary:
            continue
        share = float(workflow.monthly_cost) / len(primary)
        for dependency in primary:
            vendor = _vendor_name(dependency)
            spend[vendor] = spend.get(vendor, 0.0) + share
    return {vendor: round(amount, 2) for vendor, amount in sorted(spend.items(), key=lambda item: -item[1])}


def _money(amount: float) -> str:
    return f"${amount:,.0f}"


# --- sections ------------------------------------------------------------------------------------


def build_summary(scope: ReportScope, workflows: list[Workflow]) -> dict:
    counts = {band: sum(1 for w in workflows if w.exposure_band == band) for band in BANDS}
    total = len(workflows)
    costs = [float(w.monthly_cost) for w in workflows if w.monthly_cost is not None]
    spend = spend_by_vendor(workflows)
    risks = vendor_risks_for_organization(organization=scope.organization)
    risk_by_name = {}
    for dependency in (d for w in workflows for d in _primary(w) if d.model_id):
        risk_by_name[dependency.model.vendor.name] = risks[dependency.model.vendor_id].level
    sentences = []
    if not total:
        sentences.append("No AI workflow is recorded yet, so there is nothing to assess.")
    else:
        verb = "is" if counts["high"] == 1 else "are"
        others = [
            f"{counts[band]} {word}"
            for band, word in (("medium", "moderately"), ("low", "little"))
            if counts[band]
        ]
        sentences.append(
            f"{counts['high']} of {total} workflow{'s' if total != 1 else ''} {verb} highly exposed "
            f"to a change of course by a model vendor" + (f"; {' and '.join(others)}." if others else ".")
        )
        for vendor, amount in [(vendor, amount) for vendor, amount in spend.items() if amount > 0][:2]:
            if vendor == UNKNOWN_VENDOR:
                sentences.append(f"{_money(amount)} a month runs on models not matched to a known vendor.")
                continue
            risk = risk_by_name.get(vendor)
            risk_note = f" (vendor risk: {risk})" if risk else ""
            sentences.append(f"{_money(amount)} a month runs on {vendor} models{risk_note}.")
        top = workflows[0]
        sentences.append(
            f"Most exposed: {top.name} (score {top.exposure_score:.0f} of 100, {top.exposure_band})."
        )
        unpriced = total - len(costs)
        if unpriced:
            sentences.append(
                f"{unpriced} workflow{'s have' if unpriced != 1 else ' has'} no monthly cost recorded."
            )
    return {
        "workflows": total,
        "bands": counts,
        "monthly_usd": round(sum(costs), 2),
        "spend_by_vendor": spend,
        "average_score": round(sum(w.exposure_score for w in workflows) / total, 1) if total else None,
        "sentences": sentences,
    }


def build_exposure(scope: ReportScope, workflows: list[Workflow]) -> dict:
    rows = []
    for workflow in workflows:
        dependencies = list(workflow.dependencies.all())
        rows.append(
            {
                "workflow": workflow.name,
                "category": workflow.get_category_display(),
                "deployment": workflow.get_deployment_display(),
                "criticality": workflow.criticality,
                "switching_difficulty": workflow.switching_difficulty,
                "models": [
                    {
                        "name": _model_label(d),
                        "vendor": _vendor_name(d),
                        "role": d.role,
                        "via_tool": d.via_tool.name if d.via_tool_id else None,
                    }
                    for d in dependencies
                ],
                "monthly_usd": float(workflow.monthly_cost) if workflow.monthly_cost is not None else None,
                "score": round(workflow.exposure_score, 1),
                "band": workflow.exposure_band,
                "factors": [
                    {
                        "label": f.get("label", ""),
                        "value": str(f.get("value", "")),
                        "points": f.get("points", 0),
                    }
                    for f in workflow.exposure_factors
                ],
            }
        )
    return {"rows": rows}


def exposure_table(data: dict) -> tuple[list[str], list[list]]:
    headers = ["Workflow", "Models (primary; fallback)", "Criticality, switching", "Exposure", "Why"]
    rows = []
    for row in data["rows"]:
        primary = [m["name"] for m in row["models"] if m["role"] == "primary"]
        fallback = [m["name"] for m in row["models"] if m["role"] != "primary"]
        models = ", ".join(primary) + (f"; fallback {', '.join(fallback)}" if fallback else "")
        why = ", ".join(
            f"{f['label']} {'+' if f['points'] > 0 else ''}{f['points']:g}"
            for f in sorted(row["factors"], key=lambda f: -abs(f["points"]))[:4]
        )
        rows.append(
            [
                row["workflow"],
                models,
                f"{row['criticality']}, {row['switching_difficulty']}/5",
                f"{row['score']:g} {row['band']}",
                why,
            ]
        )
    return headers, rows


def build_charts(scope: ReportScope, workflows: list[Workflow]) -> dict | None:
    if not workflows:
        return None
    by_vendor: dict[str, dict[str, int]] = {}
    for workflow in workflows:
        for vendor in {_vendor_name(d) for d in _primary(workflow)}:
            by_vendor.setdefault(vendor, dict.fromkeys(BANDS, 0))[workflow.exposure_band] += 1
    vendors = sorted(by_vendor.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    return {
        "bands": {band: sum(1 for w in workflows if w.exposure_band == band) for band in BANDS},
        "by_vendor": [{"name": name, **counts} for name, counts in vendors],
    }


def build_signals(scope: ReportScope, workflows: list[Workflow]) -> dict:
    """Vendor signals of the last 90 days about a vendor these workflows depend on (noise left out)."""
    from apps.watch.models import Signal

    workflows_by_vendor: dict[int, list[str]] = {}
    for workflow in workflows:
        for dependency in workflow.dependencies.all():
            if dependency.model_id:
                names = workflows_by_vendor.setdefault(dependency.model.vendor_id, [])
                if workflow.name not in names:
                    names.append(workflow.name)
    since = timezone.now() - SIGNALS_WINDOW
    signals = (
        Signal.objects.filter(
            organization=scope.organization, vendor_id__in=list(workflows_by_vendor), observed_at__gte=since
        )
        .exclude(status=Signal.Status.NOISE)
        .select_related("vendor")
        .order_by("-observed_at", "-id")[:SIGNALS_SHOWN]
    )
    return {
        "window_days": SIGNALS_WINDOW.days,
        "rows": [
            {
                "observed_at": signal.observed_at.date().isoformat(),
                "vendor": signal.vendor.name,
                "kind": signal.get_kind_display(),
                "subject": signal.subject,
                "change": signal.change,
                "severity": signal.severity,
                "workflows": workflows_by_vendor[signal.vendor_id],
            }
            for signal in signals
        ],
    }


def signals_table(data: dict) -> tuple[list[str], list[list]]:
    headers = ["Observed", "Vendor", "What", "Severity", "Your workflows"]
    rows = [
        [
            row["observed_at"],
            row["vendor"],
            f"{row['kind']}: {row['subject']}" + (f" ({row['change']})" if row["change"] else ""),
            row["severity"],
            ", ".join(row["workflows"]),
        ]
        for row in data["rows"]
    ]
    return headers, rows


# Readiness checks: (key, label, tracked). A check whose capability is not built yet says so
# honestly instead of showing an empty "no". Flip `tracked` and fill `_readiness_values` when it lands.
READINESS_CHECKS = [
    ("alternative", "Benchmarked alternative", True),
    ("archive", "Verified archive of the weights", True),
    ("plan", "Migration plan", False),
]


# What the archive coverage level (apps/archive/policy.py) means to a client; "none" reads "none yet".
ARCHIVE_READINESS = {
    "full": "verified copies meet the policy",
    "partial": "verified, fewer copies than the policy wants",
    "n/a": "nothing to archive (API models only)",
}


def _readiness_values(workflows: list[Workflow]) -> dict[int, dict[str, str | None]]:
    from apps.archive.selectors import archive_levels_by_workflow
    from apps.benchmarks.selectors import benchmarked_alternatives

    ids = [w.pk for w in workflows]
    alternatives = benchmarked_alternatives(ids)
    archive_levels = archive_levels_by_workflow(ids) if ids else {}
    return {
        w.pk: {
            "alternative": alternatives.get(w.pk),
            "archive": ARCHIVE_READINESS.get(archive_levels.get(w.pk, "")),
        }
        for w in workflows
    }


def build_readiness(scope: ReportScope, workflows: list[Workflow]) -> dict:
    values = _readiness_values(workflows)
    checks = [{"key": key, "label": label, "tracked": tracked} for key, label, tracked in READINESS_CHECKS]
    rows = [
        {
            "workflow": w.name,
            "band": w.exposure_band,
            "values": {c["key"]: values[w.pk].get(c["key"]) for c in checks},
        }
        for w in workflows
    ]
    ready = sum(1 for row in rows if row["values"].get("alternative"))
    return {"checks": checks, "rows": rows, "with_alternative": ready}


def readiness_table(data: dict) -> tuple[list[str], list[list]]:
    headers = ["Workflow", *(check["label"] for check in data["checks"])]
    rows = []
    for row in data["rows"]:
        cells = [row["workflow"]]
        for check in data["checks"]:
            if not check["tracked"]:
                cells.append("not tracked yet")
            else:
                cells.append(row["values"].get(check["key"]) or "none yet")
        rows.append(cells)
    return headers, rows


register_section(Section("summary", "Summary", build_summary))
register_section(Section("exposure", "Exposure by workflow, and why", build_exposure, exposure_table))
register_section(Section("charts", "At a glance", build_charts))
register_section(Section("signals", "Vendor signals touching these workflows", build_signals, signals_table))
register_section(Section("readiness", "Readiness to switch", build_readiness, readiness_table))
