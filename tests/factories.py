"""Factories for test data. Each app's tests build what they need from these."""

import factory
from django.contrib.auth import get_user_model

from apps.accounts.models import Client, Membership, Organization

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Organization {n}")
    kind = Organization.Kind.COMPANY


class AgencyFactory(OrganizationFactory):
    kind = Organization.Kind.AGENCY


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    organization = factory.SubFactory(AgencyFactory)
    slug = factory.Sequence(lambda n: f"client-{n}")
    name = factory.Sequence(lambda n: f"Client {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.EDITOR


class ToolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "inventory.Tool"

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Tool {n}")


class WorkflowFactory(factory.django.DjangoModelFactory):
    """A workflow without dependencies; use `workflow_with` to add some and score it like the app does."""

    class Meta:
        model = "inventory.Workflow"

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Workflow {n}")
    team = "Content"
    criticality = "medium"
    switching_difficulty = 3


def workflow_with(*, organization, models=(), fallbacks=(), via_tool=None, **fields):
    """Create a workflow through the real service, with primary `models` and `fallbacks` (names or aliases)."""
    from apps.inventory.models import Workflow
    from apps.inventory.services import DependencySpec, workflow_save

    defaults = {
        "name": f"Workflow {Workflow.objects.count() + 1}",
        "criticality": "medium",
        "switching_difficulty": 3,
    }
    workflow = Workflow(organization=organization, **{**defaults, **fields})
    specs = [DependencySpec(declared_model=name, via_tool=via_tool) for name in models]
    specs += [DependencySpec(declared_model=name, role="fallback") for name in fallbacks]
    return workflow_save(workflow=workflow, dependencies=specs)
