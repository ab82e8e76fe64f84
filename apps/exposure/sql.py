"""Plain SQL for the leadership reads the ORM cannot express in one pass (DISTINCT before GROUP BY,
window functions, grouping sets). Every value is a parameter and every name comes from the models'
_meta, quoted by the connection.
"""

from functools import cache

from django.db import connection


@cache
def sql_names() -> dict[str, str]:
    from apps.accounts.models import Client
    from apps.inventory.models import AIModel, Dependency, Vendor, Workflow

    def column(model, name: str) -> str:
        return connection.ops.quote_name(model._meta.get_field(name).column)

    return {
        "dependency": connection.ops.quote_name(Dependency._meta.db_table),
        "workflow": connection.ops.quote_name(Workflow._meta.db_table),
        "aimodel": connection.ops.quote_name(AIModel._meta.db_table),
        "vendor": connection.ops.quote_name(Vendor._meta.db_table),
        "client": connection.ops.quote_name(Client._meta.db_table),
        "w_id": column(Workflow, "id"),
        "w_name": column(Workflow, "name"),
        "w_org": column(Workflow, "organization"),
        "w_client": column(Workflow, "client"),
        "w_band": column(Workflow, "exposure_band"),
        "w_score": column(Workflow, "exposure_score"),
        "w_cost": column(Workflow, "monthly_cost"),
        "w_criticality": column(Workflow, "criticality"),
        "w_difficulty": column(Workflow, "switching_difficulty"),
        "m_id": column(AIModel, "id"),
        "m_vendor": column(AIModel, "vendor"),
        "v_id": column(Vendor, "id"),
        "v_slug": column(Vendor, "slug"),
        "v_name": column(Vendor, "name"),
        "c_id": column(Client, "id"),
        "c_name": column(Client, "name"),
        "c_slug": column(Client, "slug"),
        "d_workflow": column(Dependency, "workflow"),
        "d_model": column(Dependency, "model"),
        "d_role": column(Dependency, "role"),
    }
