"""The built-in policy templates (the article's rules of thumb) and the scanner's built-in policy.

Plain data: an admin adds a template to their organization and edits it from there. The allowed
licence list of `licence-outside-allowed` is a starting point meant to be edited.
"""

from apps.policies.evaluation import SEVERITY_FROM_VENDOR_RISK, Policy

ALLOWED_LICENCES = ["apache-2.0", "mit", "bsd-3-clause", "proprietary"]

TEMPLATES: tuple[Policy, ...] = (
    Policy(
        key="single-high-risk-vendor",
        name="High-criticality workflow on a single high-risk vendor",
        severity="fail",
        description="A business-critical workflow whose models all come from one vendor rated high risk.",
        when={
            "all": [
                {"fact": "workflow.criticality", "op": "eq", "value": "high"},
                {"fact": "workflow.vendor_count", "op": "eq", "value": 1},
                {"fact": "vendor.risk", "op": "eq", "value": "high"},
            ]
        },
    ),
    Policy(
        key="regulated-data-on-cloud-api",
        name="Regulated data sent to a cloud API",
        severity="fail",
        description="Data that must stay local goes to a model behind someone else's API or tool.",
        when={
            "all": [
                {"fact": "workflow.data_sensitivity", "op": "eq", "value": "regulated"},
                {"fact": "workflow.deployment", "op": "in", "value": ["cloud-api", "via-tool"]},
            ]
        },
    ),
    Policy(
        key="exposed-without-exit",
        name="Highly exposed workflow without a verified archive or benchmarked alternative",
        severity="warn",
        description=(
            "No way out if the vendor changes course: neither a verified copy of the weights nor an "
            "alternative model that passed your own benchmark."
        ),
        when={
            "all": [
                {"fact": "workflow.exposure_band", "op": "eq", "value": "high"},
                {"fact": "workflow.verified_archive", "op": "ne", "value": True},
                {"fact": "workflow.benchmarked_alternative", "op": "ne", "value": True},
            ]
        },
    ),
    Policy(
        key="licence-outside-allowed",
        name="Licence outside the allowed list",
        severity="warn",
        description="A model whose licence your legal team has not cleared.",
        when={"fact": "model.license", "op": "not_in", "value": ALLOWED_LICENCES},
    ),
    Policy(
        key="blocked-model",
        name="A blocked model in use",
        severity="fail",
        description="A model your organization blocked is still used.",
        when={"fact": "model.approval", "op": "eq", "value": "blocked"},
    ),
)

TEMPLATES_BY_KEY = {template.key: template for template in TEMPLATES}

# Always on for an organization, whatever policies it keeps: its own approvals say "blocked".
BLOCKED_MODEL = TEMPLATES_BY_KEY["blocked-model"]

# `scan --fail-on` without a policy file or organization (docs/contracts.md): a model finding
# violates at its vendor's catalog risk level.
SCANNER_BUILTIN = Policy(
    key="vendor-risk",
    name="Model from a vendor at this catalog risk level (built-in policy)",
    severity=SEVERITY_FROM_VENDOR_RISK,
    description="The built-in policy: a model finding is as severe as its vendor's catalog risk level.",
    when={"fact": "finding.kind", "op": "eq", "value": "model"},
)
