import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.budget.services import budget_target_set
from tests.budget.sheet import make_sheet

pytestmark = pytest.mark.django_db


def budget_json(capsys, *args):
    call_command("budget", "--json", *args)
    return json.loads(capsys.readouterr().out)


def test_it_splits_the_hand_checked_sheet_exactly(capsys):
    make_sheet()
    document = budget_json(capsys, "--organization", "sheet-agency")
    workflows = {row["workflow"]: row for row in document.pop("workflows")}
    assert document == {
        "schema": "riskboard.budget/1",
        "organization": "sheet-agency",
        "client": None,
        "monthly_usd": 2850.0,
        "open_usd": 716.67,
        "proprietary_usd": 1783.33,
        "unclassified_usd": 350.0,
        "open_share": 0.2867,
        "band": {"open_min": 0.6, "open_max": 0.7},
        "status": "below",
        "missing_cost": ["Social captions brainstorm"],
        "scenarios": [],
    }
    split = {
        name: (r["monthly_usd"], r["open_usd"], r["proprietary_usd"], r["unclassified_usd"])
        for name, r in workflows.items()
    }
    assert split == {
        "Lead scoring agent": (1000.0, 0.0, 1000.0, 0.0),
        "Ad creative analysis": (900.0, 450.0, 450.0, 0.0),
        "Campaign copy via CopyTool": (300.0, 0.0, 300.0, 0.0),
        "Churn summaries": (250.0, 0.0, 0.0, 250.0),
        "Weekly blog localisation": (200.0, 200.0, 0.0, 0.0),
        "Kiosk copy": (100.0, 0.0, 0.0, 100.0),
        "Translation trio": (100.0, 66.67, 33.33, 0.0),
        "Social captions brainstorm": (0.0, 0.0, 0.0, 0.0),
    }
    assert list(workflows)[:2] == ["Lead scoring agent", "Ad creative analysis"]  # by spend


def test_scenarios_recompute_the_whole_budget(capsys):
    make_sheet()
    document = budget_json(
        capsys, "--organization", "sheet-agency", "--scenario", "alibaba*15", "alibaba:api-only*15"
    )
    times_fifteen, api_only = document["scenarios"]
    assert {k: v for k, v in times_fifteen.items() if k != "workflows"} == {
        "spec": "alibaba*15",
        "monthly_usd": 16616.67,
        "open_usd": 10283.33,
        "proprietary_usd": 5983.33,
        "unclassified_usd": 350.0,
        "delta_usd": 13766.67,
        "open_share": 0.6322,
        "status": "within",
    }
    assert [(w["workflow"], w["delta_usd"]) for w in times_fifteen["workflows"]] == [
        ("Ad creative analysis", 6300.0),
        ("Campaign copy via CopyTool", 4200.0),
        ("Weekly blog localisation", 2800.0),
        ("Translation trio", 466.67),
    ]
    assert times_fifteen["workflows"][0]["monthly_usd"] == 7200.0
    assert (api_only["spec"], api_only["monthly_usd"], api_only["delta_usd"]) == (
        "alibaba:api-only*15",
        16616.67,
        13766.67,
    )
    assert (api_only["open_usd"], api_only["proprietary_usd"], api_only["open_share"]) == (
        33.33,
        16233.33,
        0.002,
    )
    assert api_only["status"] == "below"


def test_a_client_gets_only_its_own_workflows(capsys):
    make_sheet()
    northwind = budget_json(
        capsys, "--organization", "sheet-agency", "--client", "northwind", "--scenario", "alibaba*15"
    )
    assert (
        northwind["client"],
        northwind["monthly_usd"],
        northwind["open_usd"],
        northwind["proprietary_usd"],
    ) == (
        "northwind",
        1100.0,
        650.0,
        450.0,
    )
    assert (northwind["open_share"], northwind["status"], northwind["missing_cost"]) == (
        0.5909,
        "below",
        ["Social captions brainstorm"],
    )
    assert [w["workflow"] for w in northwind["workflows"]] == [
        "Ad creative analysis",
        "Weekly blog localisation",
        "Social captions brainstorm",
    ]
    scenario = northwind["scenarios"][0]
    assert (scenario["monthly_usd"], scenario["delta_usd"]) == (1100 + 650 * 14, 650 * 14)
    contoso = budget_json(capsys, "--organization", "sheet-agency", "--client", "contoso")
    assert (contoso["open_usd"], contoso["proprietary_usd"], contoso["unclassified_usd"]) == (
        0.0,
        1300.0,
        250.0,
    )
    assert (contoso["open_share"], contoso["status"]) == (0.0, "below")


def test_the_band_is_the_organizations(capsys):
    agency = make_sheet()
    budget_target_set(organization=agency, open_min=0.2, open_max=0.25)
    document = budget_json(capsys, "--organization", "sheet-agency")
    assert document["band"] == {"open_min": 0.2, "open_max": 0.25} and document["status"] == "above"


def test_an_organization_without_spend_has_no_share(capsys, organization):
    document = budget_json(capsys)
    assert (document["monthly_usd"], document["open_share"], document["status"]) == (0.0, None, None)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("alibaba+15", "is not a scenario"),
        ("acme*2", "'acme' is not a vendor slug"),
        ("alibaba*5000", "larger than"),
    ],
)
def test_a_bad_scenario_is_refused_with_a_reason(capsys, spec, message):
    make_sheet()
    with pytest.raises(CommandError, match=message):
        call_command("budget", "--organization", "sheet-agency", "--scenario", spec)


def test_an_unknown_client_is_refused():
    make_sheet()
    with pytest.raises(CommandError, match="no client with slug 'nobody'"):
        call_command("budget", "--organization", "sheet-agency", "--client", "nobody")


def test_the_readable_table(capsys):
    make_sheet()
    call_command("budget", "--organization", "sheet-agency", "--scenario", "alibaba*15")
    out = capsys.readouterr().out
    assert "$2,850.00 a month" in out and "below" in out and "+$13,766.67" in out
