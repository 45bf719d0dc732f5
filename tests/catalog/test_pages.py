"""Requirement: the public catalogue pages (issue "catalogue pages and accounts").

Citizens on cheap phones find services through one door: the home page, the catalogue with
search and filters that combine, the full service standard (all 14 components of
PermenPANRB 15/2014) of each service, life events, agencies; in Indonesian at ``/`` and in
English under ``/en/``; unknown codes give the 404 page; odd queries answer normally and
safely; the pages print cleanly; the number of queries of a page does not grow with the
catalogue.
"""

import re
from html import unescape

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation

from satupintu.catalog.models import LifeEvent, Service
from satupintu.catalog.services import catalog_load

pytestmark = pytest.mark.django_db

BIRTH = "dukcapil-surabaya.akta-kelahiran"

TEST_LIFE_EVENT = """\
code: uji-kelahiran
name: {id: Uji kelahiran anak, en: Test birth of a child}
summary:
  id: Peristiwa uji untuk halaman peristiwa hidup.
  en: A test event for the life-event page.
prepare:
  - {id: Surat keterangan lahir, en: The birth statement from the hospital}
questions:
  - {key: child_name, type: text, label: {id: Nama lengkap anak, en: Child's full name}}
  - {key: kk_number, type: kk, label: {id: Nomor KK, en: Family card number}}
  - {key: wants_family_card, type: yes_no, label: {id: "Perbarui kartu keluarga?", en: "Update the family card?"}}
services:
  - service: dukcapil-surabaya.akta-kelahiran
    map:
      child_name: answers.child_name
      child_sex: {value: perempuan}
      birth_date: {value: "2025-01-15"}
      birth_place_city: {value: "3578"}
      kk_number: answers.kk_number
      parents_status: {value: tercatat}
      has_birth_statement: {value: true}
  - service: dukcapil-surabaya.perubahan-kk
    when: answers.wants_family_card == true
    why_not: {id: Kartu keluarga tidak diperbarui., en: The family card is not updated.}
    after: {service: dukcapil-surabaya.akta-kelahiran, state: terbit}
    map:
      kk_number: answers.kk_number
      change_reason: {value: kelahiran}
"""


def url(name: str, *args, language: str = "id") -> str:
    with translation.override(language):
        return reverse(name, args=args)


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode())[1]


@pytest.fixture
def life_event(catalog_dir) -> LifeEvent:
    """A life event of two services, one conditional and one that waits for the other."""
    (catalog_dir / "life_events").mkdir(exist_ok=True)
    (catalog_dir / "life_events" / "uji-kelahiran.yaml").write_text(TEST_LIFE_EVENT)
    catalog_load(directory=catalog_dir)
    return LifeEvent.objects.get(code="uji-kelahiran")


@pytest.fixture
def some_services() -> list[str]:
    """The birth certificate and two more services of other agencies."""
    others = (
        Service.objects.filter(is_active=True)
        .exclude(agency__code="dukcapil-surabaya")
        .order_by("code")
        .values_list("code", flat=True)
    )
    return [BIRTH, *list(others)[:2]]


# Every page renders in both languages ---------------------------------------------------


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_page_renders_in_both_languages(client, language, life_event):
    service = Service.objects.get(code=BIRTH)
    pages = [
        url("catalog:home", language=language),
        url("catalog:services", language=language),
        url("catalog:service", service.code, language=language),
        url("catalog:life_event", life_event.code, language=language),
        url("catalog:agencies", language=language),
        url("catalog:agency", service.agency.code, language=language),
        url("accounts:login", language=language),
        url("accounts:signup", language=language),
        url("accounts:privacy", language=language),
    ]
    assert pages[0] == ("/" if language == "id" else "/en/")
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert html_lang(response) == language, page
        body = response.content.decode()
        assert 'href="#main"' in body and '<main id="main"' in body, page


def test_the_english_page_shows_english_content(client):
    english = client.get(url("catalog:service", BIRTH, language="en")).content.decode()
    indonesian = client.get(url("catalog:service", BIRTH)).content.decode()
    assert "<h1>Birth Certificate</h1>" in english
    assert "<h1>Penerbitan Akta Kelahiran</h1>" in indonesian
    assert "Free of charge under Article 79A" in english
    assert "Gratis, tidak dipungut biaya" in indonesian


def test_the_home_page_offers_three_ways_to_find_a_service(client, life_event):
    body = client.get(url("catalog:home", language="en")).content.decode()
    assert 'role="search"' in body and 'name="q"' in body
    assert url("catalog:life_event", life_event.code, language="en") in body
    assert url("catalog:agency", "dukcapil-surabaya", language="en") in body
    assert "?category=kependudukan" in body


def test_the_home_page_previews_the_agencies_and_links_to_all(client):
    from satupintu.catalog.views import HOME_AGENCIES
    from satupintu.organisations.models import Agency

    active = Agency.objects.filter(is_active=True).count()
    assert active > HOME_AGENCIES  # the shipped catalogue has more agencies than the preview
    body = client.get(url("catalog:home", language="en")).content.decode()
    linked = set(re.findall(r'href="/en/instansi/([^/"]+)/"', body))
    assert len(linked) == HOME_AGENCIES
    assert f"All {active} agencies" in body
    assert f'href="{url("catalog:agencies", language="en")}"' in body


# The service standard ------------------------------------------------------------------


def test_the_service_page_shows_all_14_components(client, some_services):
    assert len(some_services) == 3
    for code in some_services:
        body = client.get(url("catalog:service", code, language="en")).content.decode()
        for number in range(1, 15):
            heading = re.search(
                rf'<h3 id="komponen-{number}-title"><span class="component__number">{number}</span> ([^<]+)</h3>',
                body,
            )
            assert heading, f"{code}: component {number} is missing"
        for label in (
            "Requirements",
            "System, mechanism and procedure",
            "Time to complete",
            "Cost or fee",
            "Service product",
            "Complaints, suggestions and feedback",
            "Legal basis",
            "Facilities",
            "Officer competence",
            "Internal supervision",
            "Number of officers",
            "Service guarantee",
            "Security and safety guarantee",
            "Evaluation of officer performance",
        ):
            assert label in body, f"{code}: {label}"
        service = Service.objects.select_related("current_version").get(code=code)
        definition = service.current_version.definition
        assert unescape(definition["standard"]["legal_basis"][0]) in unescape(body)
        assert "Who can apply" in body and "How to apply" in body
        assert re.search(r"Version \d+ of this standard, published \d+ \w+ \d{4}", body)


def test_the_service_page_explains_requirements_fee_deadline_and_stages(client):
    body = unescape(client.get(url("catalog:service", BIRTH, language="en")).content.decode())
    # Documents with their accepted types and size; conditional ones in plain words.
    assert "Accepted: PDF, JPG, PNG, up to 5\u00a0MB" in body
    assert (
        "Only if you answer “Do you have a birth statement from a health facility” with yes."
        in body
    )
    assert (
        "Only if “Parents' marriage status” is “Married and registered (marriage book or certificate)”."
        in body
    )
    # Fee 0 is "Free", the deadline in working days, the workflow in plain words.
    assert '<p class="figure">Free</p>' in body
    assert '<p class="figure">1 working day</p>' in body
    assert "Certificate issued" in body and "the deadline clock stops until you reply" in body
    # Eligibility reasons, channels and the service centre.
    assert "A birth is registered by the civil registry where the family lives" in body
    assert "Siola Public Service Mall" in body


def test_a_fee_is_written_in_rupiah(client, catalog_dir):
    path = catalog_dir / "services" / "dukcapil-surabaya" / "akta-kelahiran.yaml"
    path.write_text(path.read_text().replace("  amount: 0\n", "  amount: 1500000\n", 1))
    catalog_load(directory=catalog_dir)
    assert "Rp\u00a01.500.000" in client.get(url("catalog:service", BIRTH)).content.decode()
    assert (
        "Rp\u00a01,500,000"
        in client.get(url("catalog:service", BIRTH, language="en")).content.decode()
    )


def test_pages_link_a_print_stylesheet(client):
    body = client.get(url("catalog:service", BIRTH)).content.decode()
    match = re.search(r'<link rel="stylesheet" href="([^"]+print\.css)" media="print">', body)
    assert match
    assert finders.find("satupintu/print.css")
    stylesheet = finders.find("satupintu/site.css")
    assert stylesheet


# Language switcher ---------------------------------------------------------------------


def _switcher(body: str) -> dict:
    form = re.search(
        r'<form class="inline-form lang-switch" action="([^"]+)" method="post">(.*?)</form>',
        body,
        re.S,
    )
    assert form, "no language switcher"
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form[2]))
    return {"action": form[1], **fields}


def test_the_language_switcher_posts_to_set_language_and_keeps_the_page(client):
    page = url("catalog:service", BIRTH)
    switcher = _switcher(client.get(page).content.decode())
    assert switcher["action"] == reverse("set_language")
    assert switcher["csrfmiddlewaretoken"]
    assert switcher["language"] == "en"
    assert switcher["next"] == url("catalog:service", BIRTH, language="en")

    response = client.post(switcher["action"], {"language": "en", "next": switcher["next"]})
    assert response.status_code == 302 and response["Location"] == switcher["next"]
    english = client.get(response["Location"])
    assert html_lang(english) == "en" and "<h1>Birth Certificate</h1>" in english.content.decode()

    back = _switcher(english.content.decode())
    assert back["language"] == "id" and back["next"] == page
    response = client.post(back["action"], {"language": "id", "next": back["next"]})
    assert response["Location"] == page
    assert html_lang(client.get(page)) == "id"


def test_the_language_switcher_keeps_the_query(client):
    switcher = _switcher(
        client.get(url("catalog:services") + "?q=akta&agency=dukcapil-surabaya").content.decode()
    )
    assert unescape(switcher["next"]) == "/en/layanan/?q=akta&agency=dukcapil-surabaya"


# Not found ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/layanan/tidak-ada.layanan/",
        "/en/layanan/tidak-ada.layanan/",
        "/layanan/bukan-kode/",
        "/layanan/%3Cscript%3E/",
        "/instansi/tidak-ada/",
        "/en/instansi/tidak-ada/",
        "/peristiwa/tidak-ada/",
        "/halaman-yang-tidak-ada/",
    ],
)
def test_unknown_codes_give_the_404_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    body = response.content.decode()
    assert 'id="notfound-q"' in body  # the 404 page, with a search box
    assert 'href="#main"' in body  # the site's layout, not a bare error
    assert "<script>" not in body


def test_a_withdrawn_service_is_not_found(client):
    Service.objects.filter(code=BIRTH).update(is_active=False)
    assert client.get(url("catalog:service", BIRTH)).status_code == 404


# Catalogue: search, filters, pages -------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "a" * 10_240,
        "akta " * 2_000,
        "'; DROP TABLE catalog_service; --",
        "1' OR '1'='1",
        "<script>alert('x')</script>",
        '"><img src=x onerror=alert(1)>',
        "👶🏽 akta kelahiran 🎉",
        "\x00\x1f akta",
        "%00%27",
    ],
)
@pytest.mark.parametrize("language", ["id", "en"])
def test_odd_queries_answer_normally_and_safely(client, query, language):
    response = client.get(url("catalog:services", language=language), {"q": query})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script>alert" not in body and "<img src=x" not in body
    assert "a" * 300 not in body  # what is echoed back is cut
    assert len(body) < 200_000
    if "<script>" in query:
        assert "&lt;script&gt;" in body
    assert Service.objects.filter(is_active=True).exists()


def test_an_empty_result_is_friendly(client):
    response = client.get(
        url("catalog:services", language="en"), {"q": "zzqxv", "agency": "dukcapil-surabaya"}
    )
    body = response.content.decode()
    assert response.context["count"] == 0
    assert "No services match" in body
    assert "search all agencies and topics instead" in body
    assert "?q=zzqxv" in body


def test_search_ranks_results(client, monkeypatch):
    from satupintu.catalog import search

    services = list(Service.objects.filter(is_active=True).order_by("code")[:3])
    ranked = [(services[2].id, 9.0), (services[0].id, 5.0), (services[1].id, 1.0)]
    calls = []

    def fake_search(query, *, language, limit=200):
        calls.append((query, language, limit))
        return ranked

    monkeypatch.setattr(search, "search", fake_search)
    response = client.get(url("catalog:services", language="en"), {"q": "anything"})
    assert calls == [("anything", "en", 200)]
    assert [s.id for s in response.context["services"]] == [
        services[2].id,
        services[0].id,
        services[1].id,
    ]


def test_a_query_for_a_life_moment_offers_the_life_event(client, monkeypatch, life_event):
    from satupintu.catalog import search

    monkeypatch.setattr(
        search, "search_life_events", lambda q, *, language, limit=20: [(life_event.id, 3.0)]
    )
    body = client.get(url("catalog:services", language="en"), {"q": "new baby"}).content.decode()
    assert "Everything for this moment in one application" in body
    assert url("catalog:life_event", life_event.code, language="en") in body
    filtered = client.get(url("catalog:services"), {"q": "bayi", "life_event": life_event.code})
    assert filtered.context["matching_events"] == []


def test_the_catalogue_finds_a_service_by_its_words(client):
    response = client.get(url("catalog:services"), {"q": "akta kelahiran"})
    assert BIRTH in [service.code for service in response.context["services"]]


def test_filters_combine(client):
    base = url("catalog:services")
    response = client.get(base, {"agency": "dukcapil-surabaya", "category": "keluarga"})
    expected = set(
        Service.objects.filter(
            is_active=True, agency__code="dukcapil-surabaya", categories__code="keluarga"
        ).values_list("code", flat=True)
    )
    codes = {service.code for service in response.context["services"]}
    assert codes == expected and BIRTH in codes
    assert response.context["count"] == len(expected)
    everything = client.get(base, {"agency": "dukcapil-surabaya"}).context["count"]
    assert everything >= len(expected)

    with_query = client.get(
        base, {"q": "akta", "agency": "dukcapil-surabaya", "category": "keluarga"}
    )
    assert with_query.context["services"]
    for service in with_query.context["services"]:
        assert service.agency.code == "dukcapil-surabaya"
        assert "keluarga" in {category.code for category in service.categories.all()}

    other_agency = client.get(base, {"q": "akta kelahiran", "agency": "dpmptsp-jatim"})
    assert BIRTH not in {service.code for service in other_agency.context["services"]}


def test_the_life_event_filter(client, life_event):
    response = client.get(url("catalog:services"), {"life_event": life_event.code})
    codes = {service.code for service in response.context["services"]}
    assert codes == {BIRTH, "dukcapil-surabaya.perubahan-kk"}


def test_an_unknown_filter_is_ignored(client):
    response = client.get(url("catalog:services"), {"agency": "x" * 5000, "category": "<b>"})
    assert response.status_code == 200
    assert response.context["count"] == Service.objects.filter(is_active=True).count()
    assert "<b>" not in response.content.decode().split("<main", 1)[1]


def test_pagination(client, settings):
    settings.SATUPINTU_PAGE_SIZE = 2
    total = Service.objects.filter(is_active=True).count()
    assert total > 4, "the example catalogue has enough services for three pages"
    base = url("catalog:services", language="en")

    first = client.get(base)
    assert first.context["count"] == total
    assert len(first.context["services"]) == 2
    assert first.context["previous_url"] == "" and first.context["next_url"] == "?page=2"
    body = first.content.decode()
    assert 'rel="next" href="?page=2"' in body and 'rel="prev"' not in body
    assert f"{total} services found" in body

    second = client.get(base, {"page": 2})
    assert second.context["previous_url"] == "?" and 'rel="prev"' in second.content.decode()
    seen = {s.id for s in first.context["services"]}
    assert not seen & {s.id for s in second.context["services"]}

    pages = -(-total // 2)
    last = client.get(base, {"page": pages})
    assert last.context["next_url"] == "" and len(last.context["services"]) == total - 2 * (
        pages - 1
    )
    assert client.get(base, {"page": 10_000}).context["page"] == pages
    assert client.get(base, {"page": "abc"}).context["page"] == 1

    everything = []
    for page in range(1, pages + 1):
        everything += [s.id for s in client.get(base, {"page": page}).context["services"]]
    assert len(everything) == len(set(everything)) == total


def test_pagination_keeps_query_and_filters(client, settings):
    settings.SATUPINTU_PAGE_SIZE = 1
    response = client.get(
        url("catalog:services"), {"q": "akta", "agency": "dukcapil-surabaya", "page": 1}
    )
    if response.context["pages"] > 1:
        assert response.context["next_url"] == "?q=akta&agency=dukcapil-surabaya&page=2"


# Query counts ----------------------------------------------------------------------------


def test_the_catalogue_page_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    base = url("catalog:services")
    client.get(base)  # warm up whatever the search keeps per process
    # Agencies, categories and life events for the filters, the ids, the page, its categories.
    with django_assert_max_num_queries(7):
        client.get(base)
    with django_assert_max_num_queries(7):
        client.get(base, {"page": 2})
    # The same, and what the search reads.
    with django_assert_max_num_queries(10):
        client.get(
            base, {"q": "akta kelahiran", "agency": "dukcapil-surabaya", "category": "keluarga"}
        )


def test_the_service_page_runs_a_bounded_number_of_queries(
    client, django_assert_max_num_queries, life_event
):
    with django_assert_max_num_queries(6):
        client.get(url("catalog:service", BIRTH))
    with django_assert_max_num_queries(6):
        client.get(url("catalog:life_event", life_event.code))
    with django_assert_max_num_queries(6):
        client.get(url("catalog:agency", "dukcapil-surabaya"))
    with django_assert_max_num_queries(5):
        client.get(url("catalog:home"))


# Life events and agencies ---------------------------------------------------------------


def test_the_life_event_page_explains_its_bundle(client, life_event):
    body = unescape(
        client.get(url("catalog:life_event", life_event.code, language="en")).content.decode()
    )
    assert "<h1>Test birth of a child</h1>" in body
    assert "The birth statement from the hospital" in body  # what to prepare
    assert (
        "Birth Certificate" in body
        and "Surabaya City Population and Civil Registration Office" in body
    )
    assert "Only if you answer “Update the family card” with yes." in body
    assert "Starts by itself once “Birth Certificate” reaches “Certificate issued”." in body
    assert "Child's full name" in body  # the shared questions
    assert "1 working day" in body and "Free" in body


def test_the_agency_page_shows_contacts_offices_and_services(client):
    body = unescape(
        client.get(url("catalog:agency", "dukcapil-surabaya", language="en")).content.decode()
    )
    assert '<a href="tel:0315312144">031-5312144</a>' in body
    assert "Siola Public Service Mall" in body
    assert "Civil Registration Division" in body
    assert "Birth Certificate" in body


def test_the_agency_list_counts_services(client):
    response = client.get(url("catalog:agencies", language="en"))
    agencies = {agency.code: agency for agency in response.context["agencies"]}
    count = Service.objects.filter(is_active=True, agency__code="dukcapil-surabaya").count()
    assert agencies["dukcapil-surabaya"].service_count == count


# Error pages ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "template", ["400.html", "403.html", "403_csrf.html", "404.html", "500.html"]
)
def test_error_pages_render_in_the_layout_even_without_a_request(template):
    # Django renders 400.html, 500.html and 403_csrf.html without a request context.
    from django.template.loader import render_to_string

    with translation.override("en"):
        body = render_to_string(template)
    assert '<html lang="en">' in body and '<main id="main"' in body
    assert url("catalog:services", language="en") in body


def test_a_refusal_from_a_selector_becomes_its_error_page(rf):
    from satupintu.catalog.views import domain_errors
    from satupintu.core.errors import Forbidden

    @domain_errors
    def refusing(request):
        raise Forbidden("Only the agency's officers may see this.")

    response = refusing(rf.get("/"))
    assert response.status_code == 403
    assert "Only the agency&#x27;s officers may see this." in response.content.decode()
