"""The hand-checked budget sheet: an agency with two clients, every rule of the `budget` contract once.

| workflow                     | client    | cost  | primaries (tier, vendor)                          | notes |
|------------------------------|-----------|-------|---------------------------------------------------|-------|
| Weekly blog localisation     | northwind | 200   | qwen3:8b (open, alibaba)                          | |
| Ad creative analysis         | northwind | 900   | qwen3-vl:8b (open, alibaba) + gpt-4o (prop, openai) | two primaries: 450 + 450; llama fallback costs 0 |
| Social captions brainstorm   | northwind | —     | llama3.2 (open, meta)                             | missing cost |
| Campaign copy via CopyTool   | contoso   | 300   | qwen-plus through a tool (prop, alibaba)          | the model underneath the tool counts |
| Lead scoring agent           | contoso   | 1000  | claude-3-5-haiku (prop, anthropic)                | qwen3:8b fallback costs 0 |
| Churn summaries              | contoso   | 250   | — (only a gpt-4o-mini fallback)                   | no primary: unclassified |
| Kiosk copy                   | —         | 100   | acme-custom-llm (matches nothing)                 | unclassified |
| Translation trio             | —         | 100   | qwen3:8b + llama3.2 (open) + gpt-4o-mini (prop)   | thirds: 33.33… each |

Today: open 200 + 450 + 66.67 = 716.67; proprietary 450 + 300 + 1000 + 33.33 = 1783.33;
unclassified 350; total 2850.00; open share 716.666…/2500 = 0.2867 → below 60–70 %.
alibaba*15: alibaba spend 200 + 450 + 300 + 33.33 = 983.33 → ×15; delta 983.333… × 14 = 13766.67;
total 16616.67; open 3000 + 6750 + 500 + 33.33 = 10283.33; proprietary 4500 + 450 + 1000 + 33.33 = 5983.33;
open share 10283.33/16266.67 = 0.6322 → within. Per workflow: Ad creative +6300 (900 → 7200), Campaign copy
+4200, Weekly blog +2800, Translation trio +466.67 (100 → 566.67).
alibaba:api-only*15: same total; only meta's 33.33 stays open → share 33.333…/16266.67 = 0.0020.
"""

from apps.accounts.models import Client
from apps.inventory.models import Tool
from tests.factories import AgencyFactory, workflow_with


def make_sheet():
    agency = AgencyFactory(slug="sheet-agency", name="Sheet Agency")
    northwind = Client.objects.create(organization=agency, slug="northwind", name="Northwind")
    contoso = Client.objects.create(organization=agency, slug="contoso", name="Contoso")
    tool = Tool.objects.create(organization=agency, name="CopyTool")
    rows = [
        {
            "name": "Weekly blog localisation",
            "client": northwind,
            "monthly_cost": 200,
            "models": ["qwen3:8b"],
        },
        {
            "name": "Ad creative analysis",
            "client": northwind,
            "monthly_cost": 900,
            "models": ["qwen3-vl:8b", "gpt-4o"],
            "fallbacks": ["llama3.2"],
        },
        {
            "name": "Social captions brainstorm",
            "client": northwind,
            "monthly_cost": None,
            "models": ["llama3.2"],
        },
        {
            "name": "Campaign copy via CopyTool",
            "client": contoso,
            "monthly_cost": 300,
            "models": ["qwen-plus"],
            "via_tool": tool,
        },
        {
            "name": "Lead scoring agent",
            "client": contoso,
            "monthly_cost": 1000,
            "models": ["claude-3-5-haiku"],
            "fallbacks": ["qwen3:8b"],
            "criticality": "high",
        },
        {"name": "Churn summaries", "client": contoso, "monthly_cost": 250, "fallbacks": ["gpt-4o-mini"]},
        {"name": "Kiosk copy", "client": None, "monthly_cost": 100, "models": ["acme-custom-llm"]},
        {
            "name": "Translation trio",
            "client": None,
            "monthly_cost": 100,
            "models": ["qwen3:8b", "llama3.2", "gpt-4o-mini"],
        },
    ]
    for row in rows:
        workflow_with(organization=agency, **row)
    return agency
