"""The header shows each person the learning links that serve them — "My learning" and "My
competencies" to employees, "My classes" to trainers, "Manage learning" to HR and unit
heads — and none to a citizen, in one query for all of them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from satupintu.accounts.constants import Role
from tests.learning.factories import UserFactory, make_learner, make_staff

pytestmark = pytest.mark.django_db

LINKS = {
    "learning": "My learning",
    "competencies": "My competencies",
    "teaching": "My classes",
    "manage": "Manage learning",
}


def header_links(client, user) -> set[str]:
    client.force_login(user)
    with translation.override("en"):
        page = reverse("notifications:inbox")
    body = client.get(page).content.decode()
    nav = body[body.index("site-nav") : body.index("</nav>")]
    return {key for key, label in LINKS.items() if f">{label}</a>" in nav}


def test_each_person_sees_the_learning_links_that_serve_them(client):
    assert header_links(client, UserFactory()) == set()
    assert header_links(client, make_learner()) == {"learning", "competencies"}
    trainer = make_staff(Role.TRAINER, agency=make_learner().employee.agency)
    assert header_links(client, trainer) == {"learning", "competencies", "teaching"}
    head = make_learner()
    head = make_staff(Role.UNIT_HEAD, unit=head.employee.unit)
    assert "manage" in header_links(client, head)
    assert "manage" in header_links(client, make_staff(Role.HR))


def test_the_links_cost_one_query(client):
    learner = make_learner()
    client.force_login(learner)
    with translation.override("en"):
        page = reverse("notifications:inbox")
    with CaptureQueriesContext(connection) as queries:
        client.get(page)
    roles = [q["sql"] for q in queries.captured_queries if "accounts_roleassignment" in q["sql"]]
    assert len(roles) == 1 and "accounts_employeeprofile" in roles[0]


def test_staff_links_sit_in_one_workspace_menu_that_a_citizen_does_not_get(client):
    """On a phone a dozen staff links would fill the screen: they sit in one menu, marked as
    current when one of its pages is open."""
    citizen = UserFactory()
    client.force_login(citizen)
    with translation.override("en"):
        assert 'class="nav-menu"' not in client.get(reverse("notifications:inbox")).content.decode()
        client.force_login(make_learner())
        body = client.get(reverse("notifications:inbox")).content.decode()
        menu = body[body.index('<details class="nav-menu">') : body.index("</details>")]
        assert ">My learning</a>" in menu and ">Inbox" not in menu
        assert "<summary>Workspace</summary>" in menu
        current = client.get(reverse("talent:mine")).content.decode()
        assert '<summary class="is-current">Workspace</summary>' in current
