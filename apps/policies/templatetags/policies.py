"""Policy badges and panels other apps' templates include without their views knowing about policies."""

import json

from django import template

from apps.policies import selectors

register = template.Library()


def _organization(context):
    request = context.get("request")
    return context.get("organization") or getattr(request, "organization", None)


@register.simple_tag(takes_context=True)
def org_approvals(context) -> dict:
    """{model id: ModelApproval} of the page's organization (one query), for approval badges."""
    organization = _organization(context)
    return selectors.approvals_by_model_id(organization=organization) if organization else {}


@register.inclusion_tag("policies/_dashboard_panel.html", takes_context=True)
def policy_dashboard_panel(context, organization):
    return {
        "organization": organization,
        "summary": selectors.violation_summary(organization=organization),
        "current_membership": context.get("current_membership"),
    }


@register.inclusion_tag("policies/_workflow_panel.html", takes_context=True)
def policy_workflow_panel(context, workflow):
    return {
        "organization": workflow.organization,
        "workflow": workflow,
        "violations": list(selectors.violations_for_workflow(workflow=workflow)),
        "treatment": selectors.treatment_for_workflow(workflow=workflow),
        "current_membership": context.get("current_membership"),
    }


@register.filter
def pretty_json(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)
