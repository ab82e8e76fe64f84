""" "Migrate first" and "no plan" as next actions for the dashboard (issue 10's action registry).

`plan_action_fields` turns the top of `selectors.plans_migrate_first` into plain fields: `kind`,
`title`, `reason`, `workflow`, `exposure`, `monthly_usd`, `url`, `link_label`, `url_role`, `weight`.
A workflow with an open plan whose next step is overdue is "migrate first: the plan is late"; one
without a plan is "no plan" (plans can only be made by editors, so the link asks for that role).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Client, Membership, Organization
from apps.plans.selectors import plans_migrate_first


def plan_action_fields(
    *, organization: Organization, client: Client | None = None, limit: int = 8
) -> list[dict]:
    today = timezone.localdate()
    fields = []
    for rank, row in enumerate(plans_migrate_first(organization=organization, client=client, limit=limit), 1):
        workflow = row.workflow
        if row.plan is None:
            fields.append(
                {
                    "kind": "no_plan",
                    "title": f"Plan the migration of {workflow.name}",
                    "reason": f"#{rank} to migrate first: exposure {workflow.exposure_score:.0f}, "
                    f"about {row.effort_weeks:g} weeks to a cut-over, and no plan yet.",
                    "workflow": workflow.name,
                    "exposure": workflow.exposure_score,
                    "monthly_usd": workflow.monthly_cost,
                    "url": reverse("plans:plan_create", args=[organization.slug, workflow.pk]),
                    "link_label": "Plan it",
                    "url_role": Membership.Role.EDITOR,
                    "weight": 1.0,
                }
            )
            continue
        late = [s for s in row.plan.steps.all() if s.due and s.due < today and not s.is_finished]
        if late:
            fields.append(
                {
                    "kind": "migrate_first",
                    "title": f"Unblock the migration of {workflow.name}",
                    "reason": f"#{rank} to migrate first, and “{late[0].title}” was due {late[0].due:%Y-%m-%d}.",
                    "workflow": workflow.name,
                    "exposure": workflow.exposure_score,
                    "monthly_usd": workflow.monthly_cost,
                    "url": row.plan.get_absolute_url(),
                    "link_label": "Open the plan",
                    "url_role": Membership.Role.VIEWER,
                    "weight": 1.1,
                }
            )
    return fields


def plan_next_actions(*, organization: Organization, client: Client | None = None, limit: int = 8) -> list:
    """Action provider for the dashboard's next actions (registered in PlansConfig.ready)."""
    from apps.exposure.actions import NextAction

    return [
        NextAction(**fields)
        for fields in plan_action_fields(organization=organization, client=client, limit=limit)
    ]
