"""The exposure factor "a benchmarked alternative exists" (−8), fed by the benchmarks app."""

import pytest

from apps.benchmarks import services
from apps.benchmarks.selectors import benchmarked_alternatives
from tests.benchmarks.makers import import_run, make_suite, native_document, results_for
from tests.factories import workflow_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def workflow(organization):
    return workflow_with(organization=organization, name="Weekly blog localisation", models=["gpt-4o"])


def factor_names(workflow):
    workflow.refresh_from_db()
    return {factor["key"]: factor for factor in workflow.exposure_factors}


def test_an_imported_run_of_a_linked_suite_lowers_the_workflows_exposure(
    organization, workflow, django_capture_on_commit_callbacks
):
    make_suite(organization, name="Localisation", cases=0, workflows=[workflow])
    workflow.refresh_from_db()
    before = workflow.exposure_score
    document = native_document(
        results_for("gpt-4o", passed=5)
        + results_for("qwen2.5:7b", passed=5)
        + results_for("llama3.2:3b", passed=2, failed=3),
        suite="Localisation",
    )

    with django_capture_on_commit_callbacks(execute=True):
        import_run(organization, document)

    factors = factor_names(workflow)
    assert factors["benchmarked_alternative"]["value"] == "Qwen2.5-7B-Instruct"
    assert workflow.exposure_score == pytest.approx(before - 8)


def test_the_workflows_own_model_is_not_its_alternative(organization, workflow):
    suite = make_suite(organization, name="Localisation", cases=0, workflows=[workflow])
    run = import_run(organization, native_document(results_for("gpt-4o", passed=5)))
    services.run_attach_suite(run=run, suite=suite)

    assert benchmarked_alternatives([workflow.pk]) == {}


def test_a_model_below_the_default_pass_rate_is_not_an_alternative(organization, workflow):
    make_suite(organization, name="Localisation", cases=0, workflows=[workflow])
    import_run(
        organization, native_document(results_for("qwen2.5:7b", passed=3, failed=2), suite="Localisation")
    )

    assert benchmarked_alternatives([workflow.pk]) == {}


def test_attaching_a_run_to_a_suite_refreshes_the_linked_workflows(
    organization, workflow, django_capture_on_commit_callbacks
):
    suite = make_suite(organization, name="Localisation", cases=0, workflows=[workflow])
    run = import_run(organization, native_document(results_for("mistral:7b", passed=4, failed=1)))
    assert "benchmarked_alternative" not in factor_names(workflow)

    with django_capture_on_commit_callbacks(execute=True):
        services.run_attach_suite(run=run, suite=suite)

    assert factor_names(workflow)["benchmarked_alternative"]["value"] == "Mistral 7B Instruct"


def test_another_organizations_suite_does_not_count(organization, other_organization, workflow):
    make_suite(other_organization, name="Localisation", cases=0)
    import_run(other_organization, native_document(results_for("qwen2.5:7b", passed=5), suite="Localisation"))

    assert benchmarked_alternatives([workflow.pk]) == {}


def test_a_regulated_workflow_gets_no_credit_for_an_api_only_alternative(organization):
    regulated = workflow_with(
        organization=organization,
        name="Patient education drafts",
        models=["qwen3.5:9b"],
        data_sensitivity="regulated",
    )
    make_suite(organization, name="Compliance copy", cases=0, workflows=[regulated])
    import_run(
        organization,
        native_document(
            results_for("gpt-4o", passed=5) + results_for("llama3.2:3b", passed=3, failed=2),
            suite="Compliance copy",
        ),
    )

    assert benchmarked_alternatives([regulated.pk]) == {}


def test_a_regulated_workflow_is_credited_for_a_self_hostable_alternative(organization):
    regulated = workflow_with(
        organization=organization,
        name="Patient education drafts",
        models=["qwen3.5:9b"],
        data_sensitivity="regulated",
    )
    make_suite(organization, name="Compliance copy", cases=0, workflows=[regulated])
    import_run(
        organization,
        native_document(
            results_for("gpt-4o", passed=5) + results_for("llama3.3:70b", passed=4, failed=1),
            suite="Compliance copy",
        ),
    )

    assert benchmarked_alternatives([regulated.pk]) == {regulated.pk: "Llama 3.3 70B Instruct"}
