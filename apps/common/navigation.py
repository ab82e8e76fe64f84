"""The top-level sections of an organization, in the order the navigation shows them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    url_name: str
    practice: str
    summary: str
    also_covers: tuple[str, ...] = ()  # other URL namespaces whose pages belong to this section

    def covers(self, namespace: str) -> bool:
        return namespace == self.key or namespace in self.also_covers


SECTIONS: tuple[Section, ...] = (
    Section(
        "exposure",
        "Exposure",
        "exposure:dashboard",
        "Audit",
        "Which workflows are hurt most if a vendor changes course, and why.",
    ),
    Section(
        "inventory",
        "Inventory",
        "inventory:index",
        "Audit",
        "Every workflow and the models it depends on, directly or through a tool.",
        also_covers=("scanner",),
    ),
    Section(
        "jobs",
        "Jobs",
        "jobs:index",
        "Audit",
        "Imports from scanners, benchmarks and monitoring, with their progress and errors.",
    ),
    Section(
        "benchmarks",
        "Benchmarks",
        "benchmarks:index",
        "Benchmark",
        "Your own prompts through alternative models, side by side: quality, latency, tokens/s, cost.",
    ),
    Section(
        "watch",
        "Watch",
        "watch:index",
        "Watch",
        "Release cadence, licences, prices, deprecations and people at the vendors you depend on.",
    ),
    Section(
        "archive",
        "Archive",
        "archive:index",
        "Archive",
        "Verified copies of the open models you run, and of your prompts and configs, on storage you control.",
    ),
    Section(
        "plans",
        "Plans",
        "plans:index",
        "Abstract",
        "Migration plans per workflow and a model registry that exports a LiteLLM proxy config.",
    ),
    Section(
        "budget",
        "Budget",
        "budget:index",
        "Diversify",
        "Spend by tier against the 60–70 % open-source / 30–40 % proprietary band, with scenarios.",
    ),
    Section(
        "reports",
        "Reports",
        "reports:index",
        "Share",
        "Client exposure reports shared by expiring links, with PDF, CSV, XLSX and CycloneDX exports.",
    ),
    Section(
        "policies",
        "Policies",
        "policies:index",
        "Govern",
        "Policies, model approvals and risk acceptance, checked on every change and in CI.",
    ),
)

SECTIONS_BY_KEY = {section.key: section for section in SECTIONS}
