"""`{% archive_card workflow %}`: the workflow page's archive panel, without the inventory view knowing of it."""

from django import template

from apps.archive.selectors import hf_repo_for_model, workflow_coverage

register = template.Library()


@register.inclusion_tag("archive/_workflow_card.html", takes_context=True)
def archive_card(context, workflow) -> dict:
    coverage = workflow_coverage(workflow=workflow)
    return {
        "organization": context["organization"],
        "current_membership": context.get("current_membership"),
        "workflow": workflow,
        "coverage": coverage,
        "models": [(model, level, hf_repo_for_model(model)) for model, level in coverage.models],
    }
