"""Objects of the benchmarks app for tests/test_tenancy.py (merged into its OBJECT_MAKERS)."""

from collections.abc import Callable

from apps.benchmarks import services
from apps.benchmarks.models import Endpoint
from tests.benchmarks.makers import import_run, make_endpoint, make_suite, native_document, results_for


def _candidate(organization) -> int:
    endpoint = Endpoint.objects.filter(organization=organization).first() or make_endpoint(organization)
    return services.candidate_create(organization=organization, endpoint=endpoint, identifier="qwen2.5:7b").pk


def _case(organization) -> int:
    suite = make_suite(organization, name=f"Tenancy {organization.slug}", cases=1)
    return suite.cases.get().pk


OBJECT_MAKERS: dict[str, Callable] = {
    "suite_id": lambda organization: (
        make_suite(organization, name=f"Suite of {organization.slug}", cases=1).pk
    ),
    "case_id": _case,
    "endpoint_id": lambda organization: make_endpoint(organization, name=f"Endpoint {organization.slug}").pk,
    "candidate_id": _candidate,
    "run_id": lambda organization: (
        import_run(organization, native_document(results_for("qwen2.5:7b", passed=1))).pk
    ),
}
