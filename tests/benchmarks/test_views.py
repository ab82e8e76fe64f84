"""The benchmarks pages: viewers read, editors change and run; keys are never shown back."""

import pytest
from django.urls import reverse

from apps.benchmarks.models import Case, Endpoint, Run, Suite
from tests.benchmarks.makers import import_run, make_endpoint, make_suite, native_document, results_for
from tests.factories import workflow_with

pytestmark = pytest.mark.django_db


def url(name, organization, *args):
    return reverse(f"benchmarks:{name}", args=[organization.slug, *args])


@pytest.fixture
def linked_run(organization):
    workflow = workflow_with(organization=organization, name="Kiosk answers", models=["gpt-4o"])
    make_suite(organization, name="Kiosk", cases=0, workflows=[workflow])
    document = native_document(
        results_for("gpt-4o", passed=5, cost_usd=0.002, latency_ms=900.0)
        + results_for("llama3.3:70b", passed=5, cost_usd=0.0006, latency_ms=2500.0)
        + results_for("qwen2.5:7b", passed=4, failed=1, latency_ms=800.0),
        suite="Kiosk",
        name="Kiosk run",
    )
    return import_run(organization, document), workflow


def test_a_viewer_reads_the_index_with_suites_runs_and_endpoints(viewer_client, organization, linked_run):
    make_endpoint(organization, name="Office vLLM", api_key="sk-secret-123")

    response = viewer_client.get(url("index", organization))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Kiosk" in page and "Kiosk run" in page and "Office vLLM" in page
    assert "sk-secret-123" not in page
    assert "New suite" not in page  # editors only


def test_a_viewer_reads_the_comparison_with_the_best_alternative(viewer_client, organization, linked_run):
    run, workflow = linked_run

    response = viewer_client.get(url("run_detail", organization, run.pk))

    assert response.status_code == 200
    [item] = response.context["alternatives"]
    assert item.workflow == workflow
    assert item.ranking.best.identifier == "llama3.3:70b"
    page = response.content.decode()
    assert 'data-testid="best-alternative">Llama 3.3 70B' in page or "Llama 3.3" in page
    assert "unknown" in page  # qwen2.5:7b's cost per 1,000 requests


def test_thresholds_in_the_query_string_change_the_best_alternative(viewer_client, organization, linked_run):
    run, _workflow = linked_run

    response = viewer_client.get(
        url("run_detail", organization, run.pk), {"min_pass_rate": "70", "max_latency": "1000"}
    )

    [item] = response.context["alternatives"]
    assert item.ranking.best.identifier == "qwen2.5:7b"
    assert [r.standing.identifier for r in item.ranking.rejected] == ["llama3.3:70b"]


def test_the_summary_columns_come_from_the_stored_results(viewer_client, organization, linked_run):
    run, _workflow = linked_run

    columns = viewer_client.get(url("run_detail", organization, run.pk)).context["comparison"].columns

    llama = next(column for column in columns if column.summary.model == "llama3.3:70b")
    assert (llama.summary.pass_rate, llama.summary.latency_ms_p95, llama.cost_per_1k) == (1.0, 2500.0, 0.6)
    qwen = next(column for column in columns if column.summary.model == "qwen2.5:7b")
    assert qwen.cost_per_1k is None


def test_the_charts_are_fed_the_priced_models_only(viewer_client, organization, linked_run):
    run, _workflow = linked_run

    context = viewer_client.get(url("run_detail", organization, run.pk)).context

    scatter = context["quality_chart"].to_plotly_json()["data"]
    plotted = {
        name: (x, y)
        for trace in scatter
        for name, x, y in zip(trace["text"], trace["x"], trace["y"], strict=True)
    }
    assert plotted == {"GPT-4o": (2.0, 1.0), "Llama 3.3 70B Instruct": (0.6, 1.0)}
    assert context["unpriced"] == ["Qwen2.5-7B-Instruct"]
    boxes = {trace["name"]: list(trace["y"]) for trace in context["latency_chart"].to_plotly_json()["data"]}
    assert boxes["Llama 3.3 70B Instruct"] == [2500.0] * 5


def test_a_viewer_cannot_start_a_run(viewer_client, organization):
    suite = make_suite(organization)

    response = viewer_client.post(url("run_start", organization, suite.pk), {"concurrency": 2})

    assert response.status_code == 403
    assert Run.objects.count() == 0


def test_an_editor_starts_a_run_and_lands_on_its_page(
    editor_client, organization, django_capture_on_commit_callbacks
):
    from apps.benchmarks import services

    suite = make_suite(organization, cases=1)
    candidate = services.candidate_create(
        organization=organization, endpoint=make_endpoint(organization), identifier="m"
    )

    with django_capture_on_commit_callbacks(execute=False):
        response = editor_client.post(
            url("run_start", organization, suite.pk),
            {"candidates": [candidate.pk], "concurrency": 3, "timeout_s": 30, "max_retries": 1},
        )

    run = Run.objects.get()
    assert response.status_code == 302 and response.url == run.get_absolute_url()
    assert run.settings == {"concurrency": 3, "timeout_s": 30.0, "max_retries": 1}
    assert list(run.candidates.all()) == [candidate]


def test_a_run_without_models_re_renders_the_form_with_422(editor_client, organization):
    suite = make_suite(organization)

    response = editor_client.post(
        url("run_start", organization, suite.pk), {"concurrency": 2, "timeout_s": 30, "max_retries": 1}
    )

    assert response.status_code == 422
    assert Run.objects.count() == 0


def test_the_progress_fragment_polls_until_the_run_ends(viewer_client, organization):
    suite = make_suite(organization)
    run = Run.objects.create(
        organization=organization, suite=suite, status="running", progress_done=2, progress_total=6
    )
    progress = url("run_progress", organization, run.pk)

    running = viewer_client.get(progress, headers={"HX-Request": "true"})
    Run.objects.filter(pk=run.pk).update(status="succeeded", progress_done=6)
    finished = viewer_client.get(progress, headers={"HX-Request": "true"})

    assert 'hx-trigger="every 2s"' in running.content.decode() and "2 of 6" in running.content.decode()
    assert "hx-trigger" not in finished.content.decode()
    assert finished["HX-Refresh"] == "true"


def test_an_editor_creates_an_endpoint_whose_key_is_never_shown_back(editor_client, organization):
    response = editor_client.post(
        url("endpoint_create", organization),
        {
            "name": "DashScope",
            "base_url": "https://dashscope.example/compatible-mode/v1",
            "kind": "dashscope",
            "api_key": "sk-very-secret",
        },
    )

    endpoint = Endpoint.objects.get()
    assert response.status_code == 302
    assert endpoint.api_key_encrypted and "sk-very-secret" not in endpoint.api_key_encrypted
    edit_page = editor_client.get(url("endpoint_edit", organization, endpoint.pk)).content.decode()
    assert "sk-very-secret" not in edit_page
    assert 'data-testid="key-status">set<' in edit_page


def test_saving_an_endpoint_without_a_key_keeps_the_stored_one(editor_client, organization):
    endpoint = make_endpoint(organization, api_key="sk-keep-me")
    token = endpoint.api_key_encrypted

    editor_client.post(
        url("endpoint_edit", organization, endpoint.pk),
        {"name": "Renamed", "base_url": endpoint.base_url, "kind": "vllm", "api_key": ""},
    )

    endpoint.refresh_from_db()
    assert (endpoint.name, endpoint.api_key_encrypted) == ("Renamed", token)


def test_an_endpoint_can_read_its_key_from_the_environment(editor_client, organization, settings):
    settings.RISKBOARD_ENDPOINT_KEY_GRANTS = "acme=OPENAI;globex=DASHSCOPE"
    editor_client.post(
        url("endpoint_create", organization),
        {
            "name": "OpenAI",
            "base_url": "https://api.openai.com/v1",
            "kind": "openai",
            "api_key_env": "$RISKBOARD_ENDPOINT_KEY_OPENAI",
        },
    )

    assert Endpoint.objects.get().key_status == "from $RISKBOARD_ENDPOINT_KEY_OPENAI"


def test_an_endpoint_cannot_name_a_server_secret(editor_client, organization):
    response = editor_client.post(
        url("endpoint_create", organization),
        {
            "name": "Exfiltrate",
            "base_url": "https://attacker.example/v1",
            "kind": "other",
            "api_key_env": "SECRET_KEY",
        },
    )

    assert response.status_code == 422
    assert "RISKBOARD_ENDPOINT_KEY_" in response.content.decode()
    assert not Endpoint.objects.exists()


def test_an_editor_writes_a_case_with_assertion_rows(editor_client, organization):
    suite = make_suite(organization, cases=0)
    data = {
        "key": "greeting",
        "description": "German greeting",
        "prompt": "Say hello in {{language}}",
        "vars": '{"language": "German"}',
        "assertions-TOTAL_FORMS": "2",
        "assertions-INITIAL_FORMS": "0",
        "assertions-0-type": "icontains",
        "assertions-0-value": "hallo",
        "assertions-1-type": "is-json",
        "assertions-1-value": '{"type": "object"}',
    }

    response = editor_client.post(url("case_create", organization, suite.pk), data)

    assert response.status_code == 302
    case = Case.objects.get()
    assert case.vars == {"language": "German"}
    assert case.assertions == [
        {"type": "icontains", "value": "hallo"},
        {"type": "is-json", "value": {"type": "object"}},
    ]


def test_a_case_with_an_invalid_schema_is_a_422(editor_client, organization):
    suite = make_suite(organization, cases=0)
    data = {
        "key": "k",
        "prompt": "p",
        "assertions-TOTAL_FORMS": "1",
        "assertions-INITIAL_FORMS": "0",
        "assertions-0-type": "is-json",
        "assertions-0-value": "{not json",
    }

    response = editor_client.post(url("case_create", organization, suite.pk), data)

    assert response.status_code == 422
    assert Case.objects.count() == 0


def test_a_suite_round_trips_through_promptfoo_yaml(editor_client, organization):
    suite = make_suite(organization, name="Headlines", cases=2)

    exported = editor_client.get(url("suite_export", organization, suite.pk))
    response = editor_client.post(
        url("suite_import", organization), {"name": "Headlines again", "text": exported.content.decode()}
    )

    assert exported["Content-Type"].startswith("application/yaml")
    assert response.status_code == 302
    copy = Suite.objects.get(name="Headlines again")
    fields = ("key", "description", "prompt", "system_prompt", "vars", "assertions")
    assert list(copy.cases.values_list(*fields)) == list(suite.cases.values_list(*fields))


def test_a_broken_yaml_is_a_422_with_the_reason(editor_client, organization):
    response = editor_client.post(url("suite_import", organization), {"name": "Broken", "text": "tests: 12"})

    assert response.status_code == 422
    assert "tests: expected a list" in response.content.decode()
    assert not Suite.objects.exists()


def test_an_editor_links_workflows_to_a_suite(editor_client, organization):
    workflow = workflow_with(organization=organization, name="Weekly blog", models=["gpt-4o"])

    response = editor_client.post(
        url("suite_create", organization), {"name": "Blog", "workflows": [workflow.pk]}
    )

    suite = Suite.objects.get()
    assert response.status_code == 302 and response.url == suite.get_absolute_url()
    assert list(suite.workflows.all()) == [workflow]


def test_an_imported_run_can_be_compared_with_a_suite(editor_client, organization):
    suite = make_suite(organization, name="Blog", cases=0)
    run = import_run(organization, native_document(results_for("qwen2.5:7b", passed=1)))

    editor_client.post(url("run_attach_suite", organization, run.pk), {"suite": suite.pk})

    run.refresh_from_db()
    assert run.suite == suite


def test_another_organizations_run_is_a_404(viewer_client, other_organization):
    run = import_run(other_organization, native_document(results_for("qwen2.5:7b", passed=1)))

    assert viewer_client.get(reverse("benchmarks:run_detail", args=["acme", run.pk])).status_code == 404


def test_the_index_upload_imports_a_results_file_through_a_bench_job(
    editor_client, organization, fixtures_dir, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = editor_client.get(url("index", organization)).content.decode()
    assert reverse("jobs:upload", args=[organization.slug]) in page and 'name="kind" value="bench"' in page
    upload = SimpleUploadedFile(
        "results.json", (fixtures_dir / "promptfoo_results.json").read_bytes(), "application/json"
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("jobs:upload", args=[organization.slug]), {"kind": "bench", "file": upload}
        )

    run = Run.objects.get()
    assert response.status_code == 302
    assert (run.source, run.import_job.kind, run.import_job.status) == ("import", "bench", "succeeded")
    assert run.created_by.username == "eddie.editor"


def test_an_editor_stops_a_running_run_and_can_resume_it(client, editor, viewer, organization):
    run = Run.objects.create(
        organization=organization,
        suite=make_suite(organization),
        source="ui",
        status="running",
        progress_done=2,
        progress_total=6,
    )
    stop = url("run_stop", organization, run.pk)
    client.force_login(viewer)
    assert stop not in client.get(url("run_detail", organization, run.pk)).content.decode()
    assert client.post(stop).status_code == 403
    client.force_login(editor)
    assert stop in client.get(url("run_detail", organization, run.pk)).content.decode()

    response = client.post(stop, follow=True)

    run.refresh_from_db()
    assert (run.status, run.error) == ("failed", "Stopped by eddie.editor.")
    page = response.content.decode()
    assert "Resume sends the rest" in page and url("run_resume", organization, run.pk) in page
