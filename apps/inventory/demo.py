"""Demo inventory: the article's five scenarios with their numbers, across a company and an agency."""

from decimal import Decimal

from django.db import transaction

from apps.accounts.models import Organization
from apps.inventory.models import AIModel, ToolModel, Workflow
from apps.inventory.services import DependencySpec, tool_create, workflow_save

# name, client slug, team, owner, category, deployment, criticality, difficulty, sensitivity,
# volume, unit, cost, notes, [(model, tool, role)]
NORTHWIND_WORKFLOWS = [
    (
        "Weekly blog and docs localisation",
        None,
        "Localisation",
        "Ines Duarte",
        "translation",
        "self-hosted",
        "high",
        4,
        "internal",
        200_000,
        "words",
        Decimal("200"),
        "50,000 words a week into 12 languages through a fine-tuned Qwen-MT on our own GPU server (~$200/month). "
        "Commercial translation APIs would cost $3,000–5,000 a month at this volume (the 15x scenario).",
        [("qwen-mt", None, "primary")],
    ),
    (
        "Lead qualification agent",
        None,
        "Growth",
        "Sam Okafor",
        "agent",
        "self-hosted",
        "high",
        5,
        "confidential",
        12_000,
        "requests",
        Decimal("640"),
        "Qwen-Agent with function calling and MCP; scores inbound leads and triggers re-engagement. "
        "Migration to another agent framework is a four- to six-week project.",
        [("Qwen/Qwen3-32B", None, "primary")],
    ),
    (
        "Personalised case-study emails",
        None,
        "Growth",
        "Sam Okafor",
        "agent",
        "cloud-api",
        "medium",
        4,
        "confidential",
        8_000,
        "emails",
        Decimal("310"),
        "Qwen-Agent on DashScope's qwen-max writes case-study summaries per prospect.",
        [("dashscope/qwen-max", None, "primary"), ("claude-3-5-haiku-20241022", None, "fallback")],
    ),
    (
        "Weekly executive performance report",
        None,
        "Growth",
        "Priya Raman",
        "agent",
        "cloud-api",
        "medium",
        3,
        "internal",
        4,
        "reports",
        Decimal("45"),
        "Compiles Google Analytics, HubSpot and ad platform metrics with variance analysis.",
        [("qwen-plus", None, "primary"), ("gpt-4o-mini", None, "fallback")],
    ),
    (
        "Social copy drafting",
        None,
        "Content",
        "Lena Fischer",
        "content",
        "via-tool",
        "medium",
        2,
        "public",
        3_000,
        "posts",
        Decimal("99"),
        "Drafts social posts in CopyNest, a SaaS writing tool that appears to run an open-weight Qwen model.",
        [("Qwen2.5-72B-Instruct", "CopyNest", "primary")],
    ),
    (
        "Marketing automation scripts",
        None,
        "Marketing Ops",
        "Tom Becker",
        "code",
        "self-hosted",
        "low",
        2,
        "internal",
        600,
        "requests",
        Decimal("0"),
        "Webhook integrations and landing page snippets with a local coder model.",
        [("qwen2.5-coder:7b", None, "primary"), ("codestral-latest", None, "fallback")],
    ),
]

BRIGHTLINE_WORKFLOWS = [
    (
        "Competitor ad-creative analysis",
        "pulse-fitness",
        "Creative Intelligence",
        "Maya Chen",
        "vision",
        "cloud-api",
        "high",
        4,
        "internal",
        21_650,
        "images",
        Decimal("43.30"),
        "5,000+ ad images a week from Meta, Google and TikTok at about $0.002 per image on a cloud GPU. "
        "GPT-4o vision would cost $0.02–0.05 per image (10x–25x). Llama 3.2 Vision is the first fallback to benchmark.",
        [("Qwen/Qwen3-VL-8B-Instruct", None, "primary")],
    ),
    (
        "Ad trend reports in client dashboards",
        "pulse-fitness",
        "Creative Intelligence",
        "Maya Chen",
        "vision",
        "via-tool",
        "medium",
        3,
        "internal",
        40,
        "reports",
        Decimal("120"),
        "AdLens ingests creatives and says it runs Qwen3-VL underneath.",
        [("qwen3-vl", "AdLens", "primary")],
    ),
    (
        "Patient education drafting",
        "helix-health",
        "Healthcare Content",
        "Dr. Aisha Karim",
        "content",
        "self-hosted",
        "high",
        3,
        "regulated",
        200,
        "content pieces",
        Decimal("0"),
        "HIPAA: patient-adjacent content never touches external APIs. Qwen3.5-9B on Ollama on a Mac Studio "
        "(192 GB) with compliance system prompts; every prompt and output logged.",
        [("qwen3.5:9b", None, "primary")],
    ),
    (
        "In-store kiosk recommendations",
        "cartwheel-retail",
        "Retail Experience",
        "Jonas Weber",
        "edge",
        "edge",
        "high",
        4,
        "confidential",
        900_000,
        "requests",
        Decimal("380"),
        "Qwen3.5-0.8B on an edge server in every store: personalised suggestions for loyalty members in under "
        "200 ms, with no data leaving the store. Phi and Gemma are the candidates if Qwen's small models stall.",
        [("Qwen/Qwen3.5-0.8B", None, "primary")],
    ),
    (
        "Dynamic digital signage copy",
        "cartwheel-retail",
        "Retail Experience",
        "Jonas Weber",
        "edge",
        "edge",
        "medium",
        3,
        "internal",
        60_000,
        "requests",
        Decimal("40"),
        "Signage copy by time of day, stock and weather; same edge model.",
        [("Qwen/Qwen3.5-0.8B", None, "primary"), ("gemma3:1b", None, "fallback")],
    ),
    (
        "Brand-safety checks before publishing",
        None,
        "Operations",
        "Rosa Alvarez",
        "content",
        "self-hosted",
        "medium",
        2,
        "internal",
        15_000,
        "checks",
        Decimal("25"),
        "Qwen3Guard screens every asset before it goes live.",
        [("Qwen/Qwen3Guard-Gen-8B", None, "primary")],
    ),
    (
        "Client monthly report summaries",
        None,
        "Account Management",
        "Rosa Alvarez",
        "content",
        "cloud-api",
        "low",
        1,
        "internal",
        120,
        "reports",
        Decimal("18"),
        "Summaries of campaign results for account managers.",
        [("gpt-4o-mini", None, "primary"), ("claude-3-5-haiku", None, "fallback")],
    ),
    (
        "Campaign concept brainstorming",
        None,
        "Strategy",
        "Noah Park",
        "content",
        "via-tool",
        "low",
        2,
        "public",
        400,
        "sessions",
        Decimal("60"),
        "A brainstorming assistant whose vendor does not say which model it uses.",
        [("brightspark-v2", "IdeaForge", "primary")],
    ),
]

TOOLS = {
    "northwind": [
        ("CopyNest", "https://copynest.example", [("qwen2-5-72b-instruct", ToolModel.Certainty.SUSPECTED)])
    ],
    "brightline": [
        ("AdLens", "https://adlens.example", [("qwen3-vl-8b", ToolModel.Certainty.KNOWN)]),
        ("IdeaForge", "https://ideaforge.example", []),
    ],
}


@transaction.atomic
def seed_inventory(organizations: dict[str, Organization]) -> None:
    for org_slug, rows in (("northwind", NORTHWIND_WORKFLOWS), ("brightline", BRIGHTLINE_WORKFLOWS)):
        organization = organizations[org_slug]
        tools = {tool.name: tool for tool in organization.tools.all()}
        for name, website, links in TOOLS[org_slug]:
            if name not in tools:
                models = [(AIModel.objects.get(slug=slug), certainty) for slug, certainty in links]
                tools[name] = tool_create(
                    organization=organization, name=name, website=website, models=models
                )
        clients = {client.slug: client for client in organization.clients.all()}
        for (
            name,
            client,
            team,
            owner,
            category,
            deployment,
            criticality,
            difficulty,
            sensitivity,
            volume,
            unit,
            cost,
            notes,
            dependencies,
        ) in rows:
            if Workflow.objects.filter(organization=organization, name=name).exists():
                continue
            workflow = Workflow(
                organization=organization,
                name=name,
                client=clients.get(client) if client else None,
                team=team,
                owner=owner,
                category=category,
                deployment=deployment,
                criticality=criticality,
                switching_difficulty=difficulty,
                data_sensitivity=sensitivity,
                monthly_volume=volume,
                volume_unit=unit,
                monthly_cost=cost,
                notes=notes,
            )
            specs = [
                DependencySpec(declared_model=model, via_tool=tools[tool] if tool else None, role=role)
                for model, tool, role in dependencies
            ]
            workflow_save(workflow=workflow, dependencies=specs)
