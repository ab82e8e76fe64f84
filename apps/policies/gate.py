"""Load the CI gate's context: policies, approvals, catalog and vendor risk for `scan --fail-on`.

From the database when it is there (the organization's policies and approvals, the catalog as admins
keep it); from the shipped catalog (apps/inventory/catalog_data.py) when the command runs without a
reachable database, so a CI job can gate on the built-in policy or a policy file alone.
"""

from django.db import DatabaseError

from apps.inventory import catalog_data
from apps.inventory.matching import build_alias_index
from apps.policies.findings import CatalogModel, GateContext
from apps.policies.policy_file import PolicyFile
from apps.policies.templates import BLOCKED_MODEL, SCANNER_BUILTIN


def _shipped_catalog() -> tuple[dict, dict, dict, dict]:
    vendors = {spec["slug"]: spec for spec in catalog_data.VENDORS}
    catalog: dict[int, CatalogModel] = {}
    aliases: list[tuple[str, int]] = []
    for index, spec in enumerate(catalog_data.MODELS):
        slug, vendor_slug, name, _family, license_id, open_weights, *_rest, model_aliases = spec
        vendor = vendors.get(vendor_slug, {})
        catalog[index] = CatalogModel(
            slug, name, vendor_slug, vendor.get("name", vendor_slug), license_id, open_weights
        )
        aliases += [(alias, index) for alias in (*model_aliases, name, slug)]
    risk = {slug: spec.get("risk_level", "medium") for slug, spec in vendors.items()}
    names = {slug: spec["name"] for slug, spec in vendors.items()}
    return build_alias_index(iter(aliases)), catalog, risk, names


def _database_catalog(organization=None) -> tuple[dict, dict, dict, dict]:
    from apps.inventory.models import AIModel, Vendor
    from apps.inventory.selectors import catalog_alias_index, vendor_risks_for_organization

    catalog = {
        model.pk: CatalogModel(
            model.slug, model.name, model.vendor.slug, model.vendor.name, model.license, model.open_weights
        )
        for model in AIModel.objects.select_related("vendor")
    }
    vendors = list(Vendor.objects.all())
    if organization is not None:
        views = vendor_risks_for_organization(organization=organization)
        risk = {vendor.slug: views[vendor.pk].level for vendor in vendors}
    else:
        risk = {vendor.slug: vendor.risk_level for vendor in vendors}
    return catalog_alias_index(), catalog, risk, {vendor.slug: vendor.name for vendor in vendors}


def gate_context(
    *, organization=None, policy_file: PolicyFile | None = None, policy_path: str = ""
) -> GateContext:
    """The policies and facts `scan` judges findings by (see docs/contracts.md, "the CI gate").

    `--policy FILE` gives the policies (and may carry approvals); `--organization` gives the
    organization's enabled policies, its approvals and its vendor risk; with neither, the built-in
    policy applies. A blocked model is always a violation once someone blocked it.
    """
    try:
        alias_index, catalog, risk, names = _database_catalog(organization)
        if not catalog:
            raise LookupError("the catalog has not been loaded")
    except (DatabaseError, LookupError):
        if organization is not None:
            raise
        alias_index, catalog, risk, names = _shipped_catalog()

    approvals: dict[str, str] = {}
    if organization is not None:
        from apps.policies.selectors import approvals_by_model_slug, policy_specs_for

        approvals |= approvals_by_model_slug(organization=organization)
    if policy_file is not None:
        approvals |= policy_file.approvals
        policies, source = list(policy_file.policies), f"policy file {policy_path}"
    elif organization is not None:
        policies, source = policy_specs_for(organization=organization), f"organization {organization.slug}"
    else:
        policies, source = [SCANNER_BUILTIN], "the built-in policy (vendor catalog risk)"
    if approvals and all(policy.key != BLOCKED_MODEL.key for policy in policies):
        policies.append(BLOCKED_MODEL)
    return GateContext(
        policies=policies,
        source=source,
        alias_index=alias_index,
        catalog=catalog,
        vendor_risk=risk,
        vendor_names=names,
        approvals=approvals,
    )
