"""A workflow's bundle: what the organization wrote itself for it, archived beside the model weights.

    workflow.json                         the workflow and the models it runs (names, catalog ids)
    prompts/<suite>.promptfooconfig.yaml  each linked benchmark suite, as promptfoo YAML
    prompts/<file>, serving/<file>, fine-tuning/<file>   files the organization uploaded
    <contributed paths>                   from other apps (see `register_bundle_contributor`)

The revision is the sha256 of the bundle's own manifest (first 40 hex digits): the same contents give
the same revision, so archiving an unchanged bundle again writes nothing new.

Other apps add files with `register_bundle_contributor(fn)` in their AppConfig.ready(): the plans app
adds `litellm/<environment>/config.yaml`, the registry config a workflow behind an alias runs on.
"""

import hashlib
import json
from collections.abc import Callable

from django.utils.text import slugify

from apps.inventory.models import Workflow

BundleContributor = Callable[[Workflow], dict[str, bytes]]
_contributors: list[BundleContributor] = []


def register_bundle_contributor(contributor: BundleContributor) -> None:
    if contributor not in _contributors:
        _contributors.append(contributor)


def bundle_source(workflow: Workflow) -> str:
    return f"bundle:riskboard-{workflow.organization.slug}/workflow-{workflow.pk}"


def bundle_contents(*, workflow: Workflow) -> dict[str, bytes]:
    from apps.benchmarks.services import suite_export_yaml

    contents: dict[str, bytes] = {"workflow.json": _workflow_document(workflow)}
    for suite in workflow.bench_suites.order_by("name"):
        name = slugify(suite.name) or f"suite-{suite.pk}"
        contents[f"prompts/{name}.promptfooconfig.yaml"] = suite_export_yaml(suite=suite).encode()
    for item in workflow.archive_files.order_by("kind", "filename"):
        contents[f"{item.kind}/{item.filename}"] = bytes(item.content)
    for contributor in _contributors:
        contents.update(contributor(workflow))
    return dict(sorted(contents.items()))


def bundle_revision(contents: dict[str, bytes]) -> str:
    manifest = "".join(
        f"{hashlib.sha256(data).hexdigest()}  {path}\n" for path, data in sorted(contents.items())
    )
    return hashlib.sha256(manifest.encode()).hexdigest()[:40]


def _workflow_document(workflow: Workflow) -> bytes:
    dependencies = workflow.dependencies.select_related("model__vendor", "via_tool").order_by("role", "id")
    document = {
        "schema": "riskboard.workflow-bundle/1",
        "organization": workflow.organization.slug,
        "workflow": workflow.name,
        "team": workflow.team,
        "criticality": workflow.criticality,
        "data_sensitivity": workflow.data_sensitivity,
        "dependencies": [
            {
                "role": dependency.role,
                "declared_model": dependency.declared_model,
                "model": dependency.model.name if dependency.model_id else None,
                "vendor": dependency.model.vendor.name if dependency.model_id else None,
                "via_tool": dependency.via_tool.name if dependency.via_tool_id else None,
            }
            for dependency in dependencies
        ],
    }
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()
