from decimal import Decimal

import pytest

from apps.budget.budget import Band, budget_of, cents, parse_scenario, totals_of
from apps.budget.selectors import (
    budget_band,
    scenario_view,
    scenario_workflow_deltas,
    spend_groups,
    workflow_spends,
)
from apps.common.vendors import VENDOR_SLUGS
from tests.budget.sheet import make_sheet

pytestmark = pytest.mark.django_db


def test_the_sql_aggregates_agree_with_the_exact_split():
    agency = make_sheet()
    exact = budget_of(workflow_spends(organization=agency), band=Band())
    groups = spend_groups(organization=agency)
    aggregated = totals_of(groups.lines)
    for tier in ("open", "proprietary", "unclassified"):
        assert cents(aggregated.by_tier(tier)) == cents(exact.totals.by_tier(tier))
    by_client = {client_id: cents(totals_of(lines).total) for client_id, lines in groups.by_client.items()}
    northwind, contoso = agency.clients.get(slug="northwind"), agency.clients.get(slug="contoso")
    assert by_client == {
        northwind.id: Decimal("1100.00"),
        contoso.id: Decimal("1550.00"),
        None: Decimal("200.00"),
    }


def test_a_scenario_from_the_aggregates_moves_the_same_workflows():
    agency = make_sheet()
    scenario = parse_scenario("alibaba*15", vendors=VENDOR_SLUGS)
    groups = spend_groups(organization=agency)
    view = scenario_view(lines=groups.lines, today=totals_of(groups.lines), scenario=scenario)
    assert (cents(view.totals.total), cents(view.delta)) == (Decimal("16616.67"), Decimal("13766.67"))
    rows, count = scenario_workflow_deltas(organization=agency, scenario=scenario)
    assert count == 4
    assert [(row["workflow"], cents(row["delta_usd"])) for row in rows] == [
        ("Ad creative analysis", Decimal("6300.00")),
        ("Campaign copy via CopyTool", Decimal("4200.00")),
        ("Weekly blog localisation", Decimal("2800.00")),
        ("Translation trio", Decimal("466.67")),
    ]


def test_the_default_band_is_sixty_to_seventy(organization):
    assert budget_band(organization=organization) == Band(Decimal("0.60"), Decimal("0.70"))
