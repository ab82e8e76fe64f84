from django import template

from apps.plans.forms import WorkflowAliasForm
from apps.plans.selectors import latest_plan_for_workflow, workflow_alias

register = template.Library()


@register.inclusion_tag("plans/_workflow_card.html", takes_context=True)
def workflow_migration(context, workflow):
    """The workflow page's "Migration" card: its plan (or a button to make one) and its registry alias."""
    link = workflow_alias(workflow=workflow)
    membership = context.get("current_membership")
    return {
        "organization": context["organization"],
        "alias_form": WorkflowAliasForm(workflow=workflow)
        if link is None and membership and membership.can_edit
        else None,
        "current_membership": context.get("current_membership"),
        "workflow": workflow,
        "plan": latest_plan_for_workflow(workflow=workflow),
        "link": link,
    }
