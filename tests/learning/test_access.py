"""Who may open the staff pages of Learn (Learn: "Roles: learner, trainer, HR and unit head";
who may see what): every trainer, unit-head and HR page sends an anonymous visitor to sign
in and refuses a citizen and a plain learner (403); a trainer, unit head or HR of another
agency or unit gets "not found" for this agency's sessions, requests, courses and claims,
and their own lists hold nothing of this agency's. Nothing changes on a refused request."""

import pytest
from django.urls import reverse

from satupintu.accounts.constants import Role
from satupintu.learning.constants import ClaimStatus, EnrolmentStatus
from satupintu.learning.models import JpEntry
from satupintu.learning.selectors.access import (
    headed_unit_ids,
    hr_agency_ids,
    is_learner,
    is_trainer,
)
from tests.learning.factories import UserFactory, make_staff, staff_world

pytestmark = pytest.mark.django_db

TRAINER, UNIT, HR = "trainer", "unit", "hr"

# (url name, the world's objects that name it, method, area, names an object of the agency)
PAGES = [
    ("trainer_sessions", (), "get", TRAINER, False),
    ("trainer_session", ("session",), "get", TRAINER, True),
    ("trainer_session_qr", ("session",), "get", TRAINER, True),
    ("attendance_mark", ("session",), "post", TRAINER, True),
    ("unit_home", (), "get", UNIT, False),
    ("unit_decide", ("request",), "post", UNIT, True),
    ("unit_confirm", ("coaching",), "post", UNIT, True),
    ("unit_assign", (), "get", UNIT, False),
    ("unit_compliance", (), "get", UNIT, False),
    ("unit_compliance_csv", (), "get", UNIT, False),
    ("unit_compliance_xlsx", (), "get", UNIT, False),
    ("hr_home", (), "get", HR, False),
    ("hr_requests", (), "get", HR, False),
    ("hr_decide", ("request",), "post", HR, True),
    ("hr_confirm", ("coaching",), "post", HR, True),
    ("hr_courses", (), "get", HR, False),
    ("hr_course_create", (), "get", HR, False),
    ("hr_course", ("classroom",), "get", HR, True),
    ("hr_course_publish", ("self_paced",), "post", HR, True),
    ("hr_lesson_create", ("self_paced",), "get", HR, True),
    ("hr_lesson", ("self_paced", "lesson"), "get", HR, True),
    ("hr_lesson_move", ("self_paced", "lesson"), "post", HR, True),
    ("hr_session_create", ("classroom",), "get", HR, True),
    ("hr_sessions", (), "get", HR, False),
    ("hr_session_cancel", ("session",), "post", HR, True),
    ("hr_assign", (), "get", HR, False),
    ("hr_claims", (), "get", HR, False),
    ("hr_claim", ("claim",), "get", HR, True),
    ("hr_compliance", (), "get", HR, False),
    ("hr_compliance_csv", (), "get", HR, False),
    ("hr_compliance_xlsx", (), "get", HR, False),
]
POST_DATA = {"decision": "approve", "reason": "Dibatalkan", "publish": "0", "up": "1"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="module")
def page_names():
    return [page[0] for page in PAGES]


@pytest.fixture
def world():
    return staff_world()


def address(world, name, objects):
    args = []
    for key in objects:
        thing = world[key]
        args.append(thing.code if hasattr(thing, "code") and key != "lesson" else thing.public_id)
    return reverse(f"learning:{name}", args=args)


def call(client, method, url):
    return client.post(url, POST_DATA) if method == "post" else client.get(url)


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def nothing_changed(world):
    for key in ("request", "coaching", "claim", "session", "self_paced", "lesson"):
        world[key].refresh_from_db()
    assert world["request"].status == EnrolmentStatus.REQUESTED
    assert world["coaching"].status == EnrolmentStatus.ACTIVE
    assert world["claim"].status == ClaimStatus.PENDING
    assert world["session"].cancelled_at is None
    assert world["self_paced"].is_published
    assert not JpEntry.objects.exists()


def test_every_staff_page_is_listed(page_names):
    from satupintu.learning.views import manage, sessions

    staff = {
        pattern.name
        for pattern in [*sessions.urlpatterns, *manage.urlpatterns]
        if pattern.pattern.regex.pattern.startswith(("^pelatih", "^unit", "^sdm"))
    }
    assert staff == set(page_names)


@pytest.mark.parametrize(("name", "objects", "method", "area", "_scoped"), PAGES)
def test_outsiders_are_sent_away(client, world, name, objects, method, area, _scoped):
    url = address(world, name, objects)
    anonymous = call(client, method, url)
    assert anonymous.status_code == 302 and "/akun/" in anonymous["Location"]

    citizen = UserFactory()
    strangers = [citizen, world["learner"]]
    # Someone with a role of another area is refused too.
    strangers.append(world["hr"] if area == UNIT else world["head"])
    for person in strangers:
        client.force_login(person)
        assert call(client, method, url).status_code == 403, (name, person)
    nothing_changed(world)


@pytest.mark.parametrize(("name", "objects", "method", "area", "scoped"), PAGES)
def test_another_agency_or_unit_sees_nothing_of_this_one(
    client, world, name, objects, method, area, scoped
):
    others = {
        TRAINER: [world["other_trainer"], world["other_hr"]],
        UNIT: [world["other_head"]],
        HR: [world["other_hr"]],
    }[area]
    url = address(world, name, objects)
    for person in others:
        client.force_login(person)
        response = call(client, method, url)
        if scoped:
            assert response.status_code == 404, (name, person)
        else:
            # Their own list (or a page their role does not open), with nothing of ours.
            assert response.status_code in (200, 302, 403), (name, person)
            text = body(response)
            for marker in (
                world["learner"].get_full_name(),
                world["claim"].title,
                str(world["session"].public_id),
                str(world["request"].public_id),
                str(world["coaching"].public_id),
            ):
                assert marker not in text, (name, marker)
    nothing_changed(world)


@pytest.mark.parametrize(("name", "objects", "method", "area", "_scoped"), PAGES)
def test_the_right_person_gets_the_page(client, world, name, objects, method, area, _scoped):
    insider = {TRAINER: world["trainer"], UNIT: world["head"], HR: world["hr"]}[area]
    client.force_login(insider)
    response = call(client, method, address(world, name, objects))
    # The page opens (an empty form may be refused as such, 422), never 403 or 404.
    assert response.status_code in (200, 302, 422), (name, response.status_code)


def test_government_wide_hr_sees_every_agency(client, world):
    client.force_login(world["everywhere_hr"])
    assert client.get(address(world, "hr_claim", ("claim",))).status_code == 200
    assert client.get(address(world, "hr_course", ("classroom",))).status_code == 200
    assert client.get(address(world, "trainer_session", ("session",))).status_code == 200


def test_the_access_helpers(world):
    assert hr_agency_ids(world["hr"]) == {world["agency"].pk}
    assert hr_agency_ids(world["everywhere_hr"]) is None
    assert hr_agency_ids(world["learner"]) == set()
    assert headed_unit_ids(world["head"]) == {world["unit"].pk}
    assert headed_unit_ids(world["hr"]) == set()
    assert is_trainer(world["trainer"]) and not is_trainer(world["hr"])
    assert is_learner(world["learner"]) and not is_learner(UserFactory())
    government_trainer = make_staff(Role.TRAINER)
    assert is_trainer(government_trainer) and not is_learner(government_trainer)
