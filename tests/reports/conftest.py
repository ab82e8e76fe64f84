"""An agency with two clients, each with its own workflows, and the people who read their reports."""

from dataclasses import dataclass

import pytest

from apps.accounts.models import Client, Membership, Organization
from tests.factories import AgencyFactory, ClientFactory, MembershipFactory, UserFactory, workflow_with


@dataclass
class Agency:
    organization: Organization
    helix: Client
    cartwheel: Client
    helix_workflows: list[str]
    cartwheel_workflows: list[str]
    internal_workflows: list[str]


@pytest.fixture
def agency(db) -> Agency:
    return make_agency()


def make_agency() -> Agency:
    """Brightline Agency: two workflows for Helix Health, one for Cartwheel Retail, one of its own."""
    organization = AgencyFactory(slug="brightline", name="Brightline Agency")
    helix = ClientFactory(organization=organization, slug="helix-health", name="Helix Health")
    cartwheel = ClientFactory(organization=organization, slug="cartwheel-retail", name="Cartwheel Retail")
    workflow_with(
        organization=organization,
        client=helix,
        name="Patient education drafting",
        models=["qwen3.5:9b"],
        criticality="high",
        switching_difficulty=4,
        monthly_cost=3000,
        data_sensitivity="regulated",
    )
    workflow_with(
        organization=organization,
        client=helix,
        name="Clinic newsletter summaries",
        models=["gpt-4o-mini"],
        fallbacks=["claude-3-5-haiku"],
        criticality="low",
        switching_difficulty=1,
        monthly_cost=1200,
    )
    workflow_with(
        organization=organization,
        client=cartwheel,
        name="In-store kiosk recommendations",
        models=["qwen3.5:0.8b"],
        criticality="high",
        switching_difficulty=4,
        monthly_cost=900,
    )
    workflow_with(
        organization=organization,
        name="Agency pitch deck drafts",
        models=["qwen3:8b"],
        criticality="medium",
    )
    return Agency(
        organization=organization,
        helix=helix,
        cartwheel=cartwheel,
        helix_workflows=["Patient education drafting", "Clinic newsletter summaries"],
        cartwheel_workflows=["In-store kiosk recommendations"],
        internal_workflows=["Agency pitch deck drafts"],
    )


def member(organization, username: str, role: str, client=None):
    return MembershipFactory(
        user=UserFactory(username=username), organization=organization, role=role, client=client
    ).user


@pytest.fixture
def agency_admin(agency):
    return member(agency.organization, "ada.agency", Membership.Role.ADMIN)


@pytest.fixture
def agency_viewer(agency):
    return member(agency.organization, "vic.viewer", Membership.Role.VIEWER)


@pytest.fixture
def helix_viewer(agency):
    """A client viewer bound to Helix Health."""
    return member(agency.organization, "hana.helix", Membership.Role.CLIENT, client=agency.helix)
