"""Severities, vendor slugs and signal kinds are defined once; the JSON Schemas list exactly those."""

import json
from pathlib import Path

import pytest

from apps.common.vendors import VENDOR_SLUGS
from apps.common.vocab import INTERNAL_SIGNAL_KIND_CHOICES, SEVERITIES, SIGNAL_KINDS

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "apps" / "jobs" / "schemas"


def enums_named(node, name: str, found=None) -> list[list]:
    """Every `enum` of a property called `name`, anywhere in the schema."""
    found = [] if found is None else found
    if isinstance(node, dict):
        for key, value in node.items():
            if key == name and isinstance(value, dict) and "enum" in value:
                found.append(value["enum"])
            enums_named(value, name, found)
    elif isinstance(node, list):
        for item in node:
            enums_named(item, name, found)
    return found


def schema(filename: str) -> dict:
    return json.loads((SCHEMA_DIR / filename).read_text())


@pytest.mark.parametrize("filename", sorted(path.name for path in SCHEMA_DIR.glob("*.json")))
def test_every_vendor_and_severity_enum_is_the_vocabulary(filename):
    document = schema(filename)

    assert all(enum == list(VENDOR_SLUGS) for enum in enums_named(document, "vendor"))
    assert all(enum == list(SEVERITIES) for enum in enums_named(document, "severity"))


def test_the_signals_schema_lists_exactly_the_signal_kinds_severities_and_vendors():
    document = schema("signals-1.json")

    assert enums_named(document, "kind") == [list(SIGNAL_KINDS)]
    assert enums_named(document, "severity") == [list(SEVERITIES)]
    assert enums_named(document, "vendor") == [list(VENDOR_SLUGS)]
    assert {"api_only_release", "person_departure"} <= set(SIGNAL_KINDS)


def test_the_models_and_forms_offer_the_same_values():
    from apps.inventory.models import Vendor
    from apps.watch.forms import AlertRuleForm, SignalForm
    from apps.watch.models import AlertRule, Signal

    # A stored signal may also be of a kind Riskboard raises itself (never in the schema or the forms).
    internal = [value for value, _ in INTERNAL_SIGNAL_KIND_CHOICES]
    assert [value for value, _ in Signal._meta.get_field("kind").choices] == list(SIGNAL_KINDS) + internal
    assert not set(internal) & set(SIGNAL_KINDS)
    assert [value for value, _ in Signal._meta.get_field("severity").choices] == list(SEVERITIES)
    assert [value for value, _ in AlertRule._meta.get_field("min_severity").choices] == list(SEVERITIES)
    assert [value for value, _ in Vendor._meta.get_field("slug").choices] == list(VENDOR_SLUGS)
    assert [value for value, _ in SignalForm.base_fields["kind"].choices] == list(SIGNAL_KINDS)
    assert [value for value, _ in AlertRuleForm.base_fields["kinds"].choices] == list(SIGNAL_KINDS)


@pytest.mark.django_db
def test_a_signal_of_a_contract_kind_no_detector_emits_yet_is_imported(organization):
    from apps.watch.models import Signal
    from tests.watch.factories import contract_signal, import_signals

    job = import_signals(
        organization,
        [
            contract_signal(
                kind="person_departure", subject="Qwen tech lead", vendor="alibaba", detail={"person": "J."}
            )
        ],
    )

    assert job.status == "succeeded", job.errors
    assert Signal.objects.get(organization=organization).kind == "person_departure"
