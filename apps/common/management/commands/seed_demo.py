from django.core.management.base import BaseCommand

from apps.accounts.demo import DEMO_PASSWORD, DEMO_USERS, seed_accounts


class Command(BaseCommand):
    help = "Load the demo: the article's five scenarios across a company and an agency (idempotent)."

    def handle(self, *args, **options):
        organizations = seed_accounts()
        for seeder in _domain_seeders():
            seeder(organizations)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write("Log in at http://127.0.0.1:8000/accounts/login/ with:")
        for username, role, _ in DEMO_USERS:
            self.stdout.write(
                f"  {username:<10} / {DEMO_PASSWORD}   ({role.label} in both demo organizations)"
            )


def _domain_seeders():
    """Each capability that has demo data contributes a `seed(organizations)` function, in order."""
    from apps.benchmarks.demo import seed_benchmarks
    from apps.budget.demo import seed_budget
    from apps.inventory.demo import seed_inventory
    from apps.plans.demo import seed_plans
    from apps.policies.demo import seed_policies
    from apps.watch.demo import seed_watch

    return [seed_inventory, seed_benchmarks, seed_watch, seed_policies, seed_budget, seed_plans]
