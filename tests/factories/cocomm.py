"""Factories for the core records. Rows are saved through the audit helper, as services do."""

from __future__ import annotations

from typing import Any

import factory

from cocomm import roles
from cocomm.audit import save_audited, system_user
from cocomm.models import (
    CCG,
    AreaTeam,
    ContractType,
    Locality,
    Organisation,
    OrganisationKind,
    Person,
    Practice,
    User,
)

TEST_REASON = "Test data"


class AuditedFactory(factory.django.DjangoModelFactory):
    """Saves through `save_audited` so history rows carry a user and a reason."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        instance = model_class(*args, **kwargs)
        save_audited(instance, by=system_user(), reason=TEST_REASON)
        return instance


class UserFactory(AuditedFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.nhs.uk")
    password = factory.django.Password("a-long-test-password")


class AreaTeamFactory(AuditedFactory):
    class Meta:
        model = AreaTeam

    ods_code = factory.Sequence(lambda n: f"Q{n % 1000:03d}")
    name = factory.Sequence(lambda n: f"NHS England Area {n}")


class CCGFactory(AuditedFactory):
    class Meta:
        model = CCG

    ods_code = factory.Sequence(lambda n: f"{n % 100:02d}{'ABCDEFGHJKLMNPQRSTUVWXYZ'[n // 100 % 24]}")
    name = factory.Sequence(lambda n: f"NHS Test CCG {n}")
    area_team = factory.SubFactory(AreaTeamFactory)
    weighted_population = 150000

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        ccg = super()._create(model_class, *args, **kwargs)
        roles.grant_ccg_perms_to_role_groups(ccg)
        return ccg


class LocalityFactory(AuditedFactory):
    class Meta:
        model = Locality

    ccg = factory.SubFactory(CCGFactory)
    name = factory.Sequence(lambda n: f"Locality {n}")


class PracticeFactory(AuditedFactory):
    class Meta:
        model = Practice

    ods_code = factory.Sequence(lambda n: f"P{n % 100000:05d}")
    name = factory.Sequence(lambda n: f"Test Surgery {n}")
    ccg = factory.SubFactory(CCGFactory)
    contract_type = ContractType.GMS
    list_size = 7000


class OrganisationFactory(AuditedFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Test Organisation {n}")
    kind = OrganisationKind.PROVIDER


class PersonFactory(AuditedFactory):
    class Meta:
        model = Person

    full_name = factory.Faker("name")
    email = factory.Faker("email")
