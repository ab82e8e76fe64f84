"""Demo benchmarks: the article's "benchmark alternatives on your own prompts" for two scenarios.

Each suite is linked to its workflow and gets one finished run (imported in the native format), so
the comparison page, the best alternative and the exposure factor have something to show.
"""

import hashlib
import json

from django.db import transaction

from apps.accounts.models import Organization
from apps.benchmarks.importers import parse_bench_document
from apps.benchmarks.models import Case, Run, Suite
from apps.benchmarks.services import bench_results_import, case_save, suite_save
from apps.inventory.models import Workflow

# suite name → (organization, workflow, description, cases [(key, prompt, reference, icontains)],
#               models [(identifier, passed per case, latency ms, tokens/s, cost per request or None)])
SUITES = {
    "Localisation prompts": (
        "northwind",
        "Weekly blog and docs localisation",
        "Our own blog, docs and email strings, with the glossary terms that must survive translation.",
        [
            (
                "de-blog-intro",
                "Translate into German: {{text}}",
                "Riskboard zeigt Ihnen sofort, welche Workflows betroffen sind.",
                "Workflows",
            ),
            (
                "ja-release-note",
                "Translate into Japanese: {{text}}",
                "新しいダッシュボードが利用可能になりました。",
                "ダッシュボード",
            ),
            (
                "es-email-subject",
                "Translate into Spanish, keep it under 60 characters: {{text}}",
                "Su informe semanal está listo",
                "informe",
            ),
            (
                "fr-glossary",
                "Translate into French, keep 'Workspace' untranslated: {{text}}",
                "Ouvrez votre Workspace pour continuer.",
                "Workspace",
            ),
        ],
        [
            ("qwen-mt", [True, True, True, True], 640, 58.0, 0.00009),
            ("llama3.3:70b", [True, False, True, True], 1450, 24.0, None),
            ("mistral-small-latest", [True, True, True, False], 820, 41.0, 0.00012),
            ("gpt-4o-mini", [True, True, True, True], 910, 62.0, 0.00021),
        ],
    ),
    "Ad creative analysis": (
        "brightline",
        "Competitor ad-creative analysis",
        "Structured analysis of competitor ads: visual themes, text overlay, call to action, tone.",
        [
            ("cta-extraction", "List the call to action in this ad: {{image}}", "Shop now", "shop now"),
            (
                "overlay-text",
                "Transcribe the overlay text of this ad: {{image}}",
                "Summer sale 30% off",
                "30%",
            ),
            ("tone", "One word for the emotional tone of this ad: {{image}}", "energetic", "energetic"),
            ("palette", "Name the two dominant colours: {{image}}", "orange and navy", "orange"),
        ],
        [
            ("Qwen/Qwen3-VL-8B-Instruct", [True, True, True, True], 980, 35.0, 0.00004),
            ("llama3.2-vision:11b", [True, True, False, True], 1320, 22.0, None),
            ("pixtral-12b-2409", [True, True, True, True], 1100, 30.0, 0.00015),
            ("gpt-4o", [True, True, True, True], 1650, 48.0, 0.0125),
        ],
    ),
}


@transaction.atomic
def seed_benchmarks(organizations: dict[str, Organization]) -> None:
    for name, (org_slug, workflow_name, description, cases, models) in SUITES.items():
        organization = organizations[org_slug]
        suite = Suite.objects.filter(organization=organization, name=name).first()
        if suite is None:
            workflow = Workflow.objects.filter(organization=organization, name=workflow_name).first()
            suite = suite_save(
                suite=Suite(organization=organization, name=name, description=description),
                workflow_ids=[workflow.id] if workflow else [],
            )
            for position, (key, prompt, reference, expected) in enumerate(cases):
                case_save(
                    case=Case(
                        suite=suite,
                        key=key,
                        prompt=prompt,
                        reference_answer=reference,
                        position=position,
                        vars={"text": reference, "image": f"ads/{key}.png"},
                        assertions=[{"type": "icontains", "value": expected}],
                    )
                )
        if Run.objects.filter(suite=suite).exists():
            continue
        document = _run_document(name, cases, models)
        payload = json.dumps(document, sort_keys=True).encode()
        bench_results_import(
            organization=organization,
            bench_run=parse_bench_document(document, kind="riskboard"),
            source=Run.Source.IMPORT,
            payload_sha256=hashlib.sha256(payload).hexdigest(),
        )


def _run_document(suite_name: str, cases: list, models: list) -> dict:
    results = []
    for identifier, passes, latency_ms, tokens_per_s, cost in models:
        for index, ((key, prompt, reference, expected), passed) in enumerate(zip(cases, passes, strict=True)):
            results.append(
                {
                    "model": identifier,
                    "case": key,
                    "prompt": prompt,
                    "output": reference if passed else "(answer missed the expected term)",
                    "passed": passed,
                    "score": 1.0 if passed else 0.0,
                    "latency_ms": latency_ms + 37 * index,
                    "tokens_per_s": tokens_per_s,
                    "completion_tokens": 24 + 3 * index,
                    "cost_usd": cost,
                    "assertions": [
                        {
                            "type": "icontains",
                            "value": expected,
                            "passed": passed,
                            "score": 1.0 if passed else 0.0,
                        }
                    ],
                }
            )
    return {
        "schema": "riskboard.bench/1",
        "name": f"{suite_name}: current model vs alternatives",
        "suite": suite_name,
        "results": results,
    }
