"""Requirement: once-only prefill reads the government registries (population, business,
education) through adapters, only with the person's recorded consent (UU PDP), and every
dataset read is audited without personal data. The built-in adapters serve the records in
the database in the documented shapes; a registry that cannot answer never breaks the page.
"""

from datetime import date

import pytest
from django.test import override_settings
from django.utils import timezone, translation

from satupintu.accounts.models import CitizenProfile, User
from satupintu.accounts.services import consent_record, consent_withdraw
from satupintu.core.errors import DomainError, Forbidden
from satupintu.core.models import AuditEvent
from satupintu.demo.registry import demo_registry_load
from satupintu.registries.constants import Relationship
from satupintu.registries.selectors import registry_dataset_labels, registry_dataset_names
from satupintu.registries.services import RegistryAnswer, registry_read
from tests.registries.factories import (
    BusinessRecordFactory,
    CitizenProfileFactory,
    EducationRecordFactory,
    PopulationRecordFactory,
)

pytestmark = pytest.mark.django_db

ALL = [
    "population.person",
    "population.family_card",
    "business.registration",
    "education.student",
]
SITI = "3578056503920001"
BUDI = "3578101708850003"


def citizen(nik: str) -> User:
    return CitizenProfileFactory(nik=nik).user


def consent(user: User, datasets=None, *, granted=True, purpose_code="prefill:uji"):
    return consent_record(
        user=user,
        purpose_code=purpose_code,
        purpose={"id": "Uji pengisian otomatis", "en": "Prefill test"},
        datasets=ALL if datasets is None else datasets,
        granted=granted,
    )


def read(user, datasets=None, given=None) -> RegistryAnswer:
    datasets = ALL if datasets is None else datasets
    return registry_read(
        user=user,
        datasets=datasets,
        consent=given if given is not None else consent(user, datasets),
        purpose="prefill:uji",
    )


@pytest.fixture
def demo_registry():
    demo_registry_load()


# The built-in adapters' shapes --------------------------------------------------------------


def test_siti_reads_her_record_family_card_and_her_daughters_school(demo_registry):
    siti = citizen(SITI)
    answer = read(siti)

    assert set(answer.unavailable) == {"business.registration"}
    assert answer.data["person"] == {
        "nik": SITI,
        "name": "Siti Rahayu",
        "sex": "F",
        "birth_date": "1992-03-25",
        "birth_place": "Surabaya",
        "religion": "islam",
        "marital_status": "kawin",
        "occupation": "Wiraswasta",
        "kk_number": "3578050302150007",
        "address": {
            "street": "Jl. Kedungdoro Gg. III No. 12, RT 03 RW 05",
            "village": "3578051003",
        },
    }
    card = answer.data["family_card"]
    assert card["number"] == "3578050302150007"
    assert card["address"] == answer.data["person"]["address"]
    assert card["head"] == {"nik": "3578051201890001", "name": "Agus Prasetyo"}
    assert card["father"] == card["head"]
    assert card["mother"] == {"nik": SITI, "name": "Siti Rahayu"}
    assert [(m["name"], m["relationship"]) for m in card["members"]] == [
        ("Agus Prasetyo", "kepala_keluarga"),
        ("Siti Rahayu", "istri"),
        ("Putri Ayu Prasetyo", "anak"),
    ]
    assert card["members"][2] == {
        "nik": "3578055407160001",
        "name": "Putri Ayu Prasetyo",
        "sex": "F",
        "birth_date": "2016-07-14",
        "relationship": "anak",
    }
    assert answer.data["student"] == {
        "nisn": "0167381924",
        "nik": "3578055407160001",
        "name": "Putri Ayu Prasetyo",
        "school_name": "SD Negeri Kedungdoro",
        "school_npsn": "20532871",
        "level": "SD",
        "grade": 4,
    }
    assert "business" not in answer.data


def test_budi_heads_his_family_and_owns_an_active_business(demo_registry):
    answer = read(citizen(BUDI))

    card = answer.data["family_card"]
    assert card["head"] == card["father"] == {"nik": BUDI, "name": "Budi Santoso"}
    assert card["mother"] is None
    assert [member["nik"] for member in card["members"]] == [BUDI]
    # The closed business (registered first) is passed over.
    assert answer.data["business"] == {
        "nib": "8120216543210",
        "name": "UD Santoso Jaya",
        "legal_form": "perorangan",
        "address": {"street": "Jl. Tambaksari Selatan No. 7", "village": "3578101001"},
        "owner_nik": BUDI,
    }
    assert set(answer.unavailable) == {"education.student"}
    assert "Dapodik" in answer.unavailable["education.student"]


def test_a_female_head_is_the_mother_and_there_is_no_father():
    head = PopulationRecordFactory(
        nik="3578104505850001", sex="F", kk_number="3578100505100002", name="Ibu Kepala"
    )
    PopulationRecordFactory(
        nik="3578100303100001",
        kk_number=head.kk_number,
        relationship=Relationship.ANAK,
        birth_date=date(2010, 3, 3),
    )
    card = read(citizen(head.nik), ["population.family_card"]).data["family_card"]
    assert card["mother"] == {"nik": head.nik, "name": "Ibu Kepala"}
    assert card["father"] is None
    assert [member["relationship"] for member in card["members"]] == ["kepala_keluarga", "anak"]


def test_the_student_is_the_first_child_of_school_age_with_a_record():
    today = timezone.localdate()
    head = PopulationRecordFactory(nik="3578100101800009", kk_number="3578100101100009")

    def child(nik, years_old):
        return PopulationRecordFactory(
            nik=nik,
            kk_number=head.kk_number,
            relationship=Relationship.ANAK,
            birth_date=date(today.year - years_old, 1, 1),
            marital_status="belum_kawin",
        )

    adult = child("3578100101000001", 25)  # too old for school
    eldest = child("3578100101100003", 15)  # of school age, but not in Dapodik
    younger = child("3578100101150004", 10)
    baby = child("3578100101240005", 1)  # too young
    for pupil in (adult, younger, baby):
        EducationRecordFactory(nik=pupil.nik, name=pupil.name)

    answer = read(citizen(head.nik), ["education.student"])
    assert answer.data["student"]["nik"] == younger.nik
    assert eldest.nik not in str(answer.data)
    # The family card was needed to find the child, but was not asked for: not returned.
    assert set(answer.data) == {"student"}


def test_sources_are_named_in_the_active_language(demo_registry):
    siti = citizen(SITI)
    answer = read(siti)
    assert answer.sources == {
        "person": "Dispendukcapil — data kependudukan (SIAK)",
        "family_card": "Dispendukcapil — data kependudukan (SIAK)",
        "student": "Dapodik — data pokok pendidikan",
    }
    with translation.override("en"):
        english = read(siti, ["business.registration", "population.person"])
    assert english.sources == {"person": "Dispendukcapil — population data (SIAK)"}
    assert english.unavailable["business.registration"].startswith("OSS has no active business")


def test_dataset_labels_name_both_population_datasets_as_one():
    assert registry_dataset_labels(datasets=["population.family_card", "population.person"]) == [
        "Data kependudukan dan kartu keluarga (Dukcapil)"
    ]
    assert registry_dataset_labels(datasets=["population.person", "business.registration"]) == [
        "Data kependudukan Anda (Dukcapil)",
        "Usaha milik Anda (OSS)",
    ]
    assert registry_dataset_labels(datasets=["something.else"]) == ["something.else"]
    assert set(registry_dataset_names()) == set(ALL)


# What is not found, and what cannot be read -------------------------------------------------


def test_a_person_the_registries_do_not_know_gets_reasons_not_errors():
    answer = read(citizen("3578100202020002"))
    assert answer.data == {} and answer.sources == {}
    assert set(answer.unavailable) == set(ALL)
    assert "tidak memiliki data" in answer.unavailable["population.person"]


def test_without_a_nik_nothing_is_read_or_audited(demo_registry):
    staff = User.objects.create(username="tanpa-nik")
    answer = read(staff)
    assert answer.data == {}
    assert set(answer.unavailable) == set(ALL)
    assert "NIK" in answer.unavailable["population.person"]
    assert not AuditEvent.objects.filter(action="registry.read").exists()


@override_settings(SATUPINTU_REGISTRY_BUSINESS_URL="off")
def test_a_registry_switched_off_is_not_configured(demo_registry):
    answer = read(citizen(BUDI), ["business.registration", "population.person"])
    assert "person" in answer.data
    assert "tidak terhubung" in answer.unavailable["business.registration"]


def test_unknown_datasets_are_refused():
    user = citizen(SITI)
    given = consent(user)
    with pytest.raises(DomainError) as refused:
        registry_read(user=user, datasets=["population.tax"], consent=given, purpose="prefill:uji")
    assert refused.value.code == "unknown_dataset"


# Consent -------------------------------------------------------------------------------------


def test_no_consent_no_read(demo_registry):
    with pytest.raises(Forbidden):
        registry_read(user=citizen(SITI), datasets=ALL, consent=None, purpose="prefill:uji")


def test_a_declined_consent_is_no_consent(demo_registry):
    siti = citizen(SITI)
    with pytest.raises(Forbidden):
        read(siti, given=consent(siti, granted=False))


def test_a_withdrawn_consent_is_no_consent_even_if_the_caller_holds_it_still(demo_registry):
    siti = citizen(SITI)
    given = consent(siti)
    consent_withdraw(user=siti, consent=given)
    given.refresh_from_db()
    with pytest.raises(Forbidden) as refused:
        read(siti, given=given)
    assert refused.value.code == "consent_withdrawn"

    # The caller's object may be stale: the database decides.
    again = consent(siti)
    stale = type(again).objects.get(pk=again.pk)
    consent_withdraw(user=siti, consent=again)
    with pytest.raises(Forbidden):
        read(siti, given=stale)


def test_a_consent_covers_only_the_datasets_it_lists(demo_registry):
    siti = citizen(SITI)
    given = consent(siti, ["population.person"])
    with pytest.raises(Forbidden) as refused:
        read(siti, ["population.person", "population.family_card"], given=given)
    assert refused.value.code == "consent_not_covering"
    assert set(read(siti, ["population.person"], given=given).data) == {"person"}


def test_another_persons_consent_does_not_open_the_registries(demo_registry):
    siti, budi = citizen(SITI), citizen(BUDI)
    with pytest.raises(Forbidden):
        read(budi, given=consent(siti))
    assert not AuditEvent.objects.filter(action="registry.read").exists()


# Audit ---------------------------------------------------------------------------------------


def test_every_dataset_read_is_audited_without_personal_data(demo_registry):
    siti = citizen(SITI)
    given = consent(siti)
    read(siti, given=given)

    events = AuditEvent.objects.filter(action="registry.read").order_by("id")
    assert [(e.details["dataset"], e.details["found"]) for e in events] == [
        ("population.person", True),
        ("population.family_card", True),
        ("business.registration", False),
        ("education.student", True),
    ]
    for event in events:
        assert event.actor == siti and event.subject == siti
        assert event.object_type == "accounts.consent"
        assert event.object_id == str(given.public_id)
        assert event.details == {
            "dataset": event.details["dataset"],
            "purpose": "prefill:uji",
            "found": event.details["found"],
        }
        recorded = str(event.details) + event.object_id
        for personal in (SITI, "Siti", "3578050302150007", "Kedungdoro", "0167381924"):
            assert personal not in recorded


def test_the_profile_nik_is_what_is_looked_up(demo_registry):
    siti = citizen(SITI)
    CitizenProfile.objects.filter(user=siti).update(nik=BUDI)
    assert read(siti, ["population.person"]).data["person"]["name"] == "Budi Santoso"


def test_records_are_served_from_the_database():
    owner = PopulationRecordFactory()
    BusinessRecordFactory(owner_nik=owner.nik, name="Toko Lama", is_active=False)
    BusinessRecordFactory(owner_nik=owner.nik, name="Toko Baru")
    answer = read(citizen(owner.nik), ["business.registration"])
    assert answer.data["business"]["name"] == "Toko Baru"
    assert answer.sources["business"] == "OSS — Nomor Induk Berusaha (NIB)"
