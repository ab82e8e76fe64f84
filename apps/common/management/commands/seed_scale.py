"""A large synthetic organization for benchmarks: `seed_scale --workflows 10000`."""

import random
import time
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction

from apps.accounts.models import Client, Organization
from apps.exposure.services import exposure_refresh
from apps.inventory.models import AIModel, Dependency, Tool, Workflow

BATCH = 2000


class Command(BaseCommand):
    help = "Create (or top up) an agency with many workflows and dependencies, scored, for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--workflows", type=int, default=10_000)
        parser.add_argument("--organization", default="scale-agency")
        parser.add_argument("--seed", type=int, default=7, help="Random seed, for repeatable data")

    def handle(self, *args, workflows: int, organization: str, seed: int, **options):
        started = time.perf_counter()
        rng = random.Random(seed)
        org, _ = Organization.objects.get_or_create(
            slug=organization, defaults={"name": "Scale Test Agency", "kind": Organization.Kind.AGENCY}
        )
        clients = [
            Client.objects.get_or_create(
                organization=org, slug=f"client-{n}", defaults={"name": f"Client {n}"}
            )[0]
            for n in range(40)
        ]
        tools = [Tool.objects.get_or_create(organization=org, name=f"Tool {n}")[0] for n in range(12)]
        models = list(AIModel.objects.all())
        existing = Workflow.objects.filter(organization=org).count()
        to_create = max(workflows - existing, 0)
        for start in range(0, to_create, BATCH):
            with transaction.atomic():
                batch = Workflow.objects.bulk_create(
                    [
                        Workflow(
                            organization=org,
                            client=rng.choice(clients + [None]),
                            name=f"Workflow {existing + start + i:05d}",
                            team=rng.choice(["Content", "Growth", "Ops", "Retail"]),
                            category=rng.choice(Workflow.Category.values),
                            deployment=rng.choice(Workflow.Deployment.values),
                            criticality=rng.choice(["high", "medium", "low"]),
                            switching_difficulty=rng.randint(1, 5),
                            data_sensitivity=rng.choice(Workflow.Sensitivity.values),
                            monthly_cost=Decimal(rng.randint(0, 5000)),
                            monthly_volume=rng.randint(0, 100_000),
                        )
                        for i in range(min(BATCH, to_create - start))
                    ]
                )
                dependencies = []
                for workflow in batch:
                    for role in ["primary"] * rng.randint(1, 2) + ["fallback"] * rng.randint(0, 1):
                        model = rng.choice(models)
                        dependencies.append(
                            Dependency(
                                workflow=workflow,
                                model=model,
                                declared_model=model.name,
                                role=role,
                                via_tool=rng.choice(tools) if rng.random() < 0.2 else None,
                            )
                        )
                Dependency.objects.bulk_create(dependencies, ignore_conflicts=True)
                exposure_refresh(workflow_ids=[workflow.id for workflow in batch])
            self.stdout.write(f"  {existing + start + len(batch)} workflows")
        total = Workflow.objects.filter(organization=org).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"{org.slug}: {total} workflows, {Dependency.objects.filter(workflow__organization=org).count()} "
                f"dependencies in {time.perf_counter() - started:.1f}s"
            )
        )
