"""Search that a citizen on a cheap phone finds useful (catalogue: search).

- Everyday questions in Indonesian and English, with slang, abbreviations and typos, find the
  service that they mean among the first three results, mostly first.
- Both languages are searched; the page's language weighs a little more.
- Text is normalised, stemmed (Sastrawi for Indonesian, a light stemmer for English) and
  matched with typos and the word being typed (analysis tests, no database).
- A hostile or meaningless query answers normally.
- A search costs one small query; the in-memory index follows the catalogue: the search after
  a load that changed it finds the change.
"""

from pathlib import Path

import pytest
import yaml

from satupintu.catalog.models import LifeEvent, SearchEntry, Service
from satupintu.catalog.search import index_services, search, search_life_events
from satupintu.catalog.search.analysis import (
    MAX_QUERY_WORDS,
    analyse,
    fold,
    normalised_words,
    query_words,
    stem_en,
    stem_id,
)
from satupintu.catalog.search.index import Document, TermIndex, catalogue_revision
from satupintu.catalog.search.ranking import Query, rank, typo_distance
from satupintu.catalog.services import catalog_load


def codes(results: list[tuple[int, float]]) -> list[str]:
    by_id = dict(Service.objects.filter(pk__in=[pk for pk, _ in results]).values_list("pk", "code"))
    return [by_id[pk] for pk, _ in results]


def top(query: str, language: str = "id", count: int = 3) -> list[str]:
    return codes(search(query, language=language, limit=count))


def terms(text: str, language: str = "id") -> list[str]:
    return [word.term for word in query_words(text, language)]


# --- relevance --------------------------------------------------------------------------

# (query, page language, expected service, it must be within the first …)
EVERYDAY_QUERIES = [
    ("akta lahir", "id", "dukcapil-surabaya.akta-kelahiran", 1),
    ("akte kelahiran", "id", "dukcapil-surabaya.akta-kelahiran", 1),
    ("bikin akte anak", "id", "dukcapil-surabaya.akta-kelahiran", 1),
    ("birth certificate", "en", "dukcapil-surabaya.akta-kelahiran", 1),
    ("bikin ktp", "id", "dukcapil-surabaya.ktp-el", 1),
    ("cara bikin KTP-el", "id", "dukcapil-surabaya.ktp-el", 1),
    ("e-ktp hilang", "id", "dukcapil-surabaya.ktp-el", 3),
    ("kartu keluarga", "id", "dukcapil-surabaya.perubahan-kk", 1),
    ("family card", "en", "dukcapil-surabaya.perubahan-kk", 1),
    ("izin usaha", "id", "dpmptsp-surabaya.pendampingan-nib", 3),
    ("business licence", "en", "dpmptsp-surabaya.pendampingan-nib", 3),
    ("passport", "id", "imigrasi-surabaya.paspor-baru", 1),
    ("passport", "en", "imigrasi-surabaya.paspor-baru", 1),
    ("paspor", "en", "imigrasi-surabaya.paspor-baru", 1),
    ("pasport", "id", "imigrasi-surabaya.paspor-baru", 3),
    ("how do I get a passport", "en", "imigrasi-surabaya.paspor-baru", 1),
    ("surat kelakuan baik", "id", "polrestabes-surabaya.skck", 1),
    ("skck", "id", "polrestabes-surabaya.skck", 1),
    ("police clearance", "en", "polrestabes-surabaya.skck", 1),
    ("perpanjang sim", "id", "polrestabes-surabaya.perpanjangan-sim", 1),
    ("pajak motor", "id", "bapenda-jatim.pkb-tahunan", 1),
    ("bayar pajak mobil", "id", "bapenda-jatim.pkb-tahunan", 1),
    ("car tax", "en", "bapenda-jatim.pkb-tahunan", 1),
    ("daftar nikah", "id", "kemenag-surabaya.pendaftaran-nikah", 1),
    ("marriage registration", "en", "kemenag-surabaya.pendaftaran-nikah", 3),
    ("death certificate", "en", "dukcapil-surabaya.akta-kematian", 1),
    ("akte meninggal", "id", "dukcapil-surabaya.akta-kematian", 1),
    ("imb", "id", "dpmptsp-surabaya.pbg", 1),
    ("building permit", "en", "dpmptsp-surabaya.pbg", 1),
    ("kelahran", "id", "dukcapil-surabaya.akta-kelahiran", 1),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "language", "expected", "within"), EVERYDAY_QUERIES)
def test_everyday_queries_find_the_service_they_mean(query, language, expected, within):
    assert expected in top(query, language, within), top(query, language, 5)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "language"),
    [("daftar sekolah", "id"), ("school enrolment", "en"), ("pendaftaran murid baru", "id")],
)
def test_school_enrolment_finds_an_admissions_service(query, language):
    admissions = {
        "dispendik-surabaya.spmb-sd",
        "dispendik-surabaya.spmb-smp",
        "dindik-jatim.spmb-sma-smk",
    }
    assert set(top(query, language)) <= admissions


@pytest.mark.django_db
def test_land_certificate_finds_the_land_office():
    assert all(code.startswith("atrbpn-surabaya.") for code in top("sertifikat tanah"))


@pytest.mark.django_db
def test_cooperative_finds_cooperative_services():
    found = top("koperasi")
    assert found[0] == "diskopukm-jatim.pendampingan-pendirian-koperasi"
    assert all("koperasi" in code or "simpan-pinjam" in code for code in found)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "agency"),
    [
        ("dukcapil", "dukcapil-surabaya"),
        ("imigrasi", "imigrasi-surabaya"),
        ("samsat", "bapenda-jatim"),
    ],
)
def test_an_agency_name_finds_its_services_first(query, agency):
    found = top(query, count=10)
    offered = Service.objects.filter(agency__code=agency, is_active=True).count()
    assert all(code.startswith(f"{agency}.") for code in found[:2])
    assert sum(code.startswith(f"{agency}.") for code in found) >= min(offered, 8)


@pytest.mark.django_db
def test_the_page_language_weighs_more():
    """Given an English query, the English page scores it higher than the Indonesian page;
    both find the service."""
    on_english_page = dict(search("passport", language="en"))
    on_indonesian_page = dict(search("passport", language="id"))
    paspor = Service.objects.get(code="imigrasi-surabaya.paspor-baru").pk
    assert on_english_page[paspor] > on_indonesian_page[paspor] > 0


@pytest.mark.django_db
def test_a_query_matching_all_words_ranks_above_partial_matches():
    results = search("akta kematian", language="id")
    found = codes(results)
    assert found[0] == "dukcapil-surabaya.akta-kematian"
    # services that match only "akta" come after those that match both words
    assert found.index("dukcapil-surabaya.akta-kelahiran") > found.index(
        "dukcapil-surabaya.akta-kematian"
    )


@pytest.mark.django_db
def test_the_word_being_typed_is_completed():
    assert "dukcapil-surabaya.akta-kelahiran" in top("akta kelah")
    assert top("paspo")[0].startswith("imigrasi-surabaya.")


@pytest.mark.django_db
def test_limit_and_order():
    results = search("surat", language="id", limit=5)
    assert len(results) == 5
    scores = [score for _, score in results]
    assert scores == sorted(scores, reverse=True)
    assert search("surat", language="id", limit=0) == []


@pytest.mark.django_db
def test_an_unknown_language_falls_back_to_indonesian():
    assert search("akta lahir", language="fr") == search("akta lahir", language="id")
    assert search("akta lahir", language="en-GB") == search("akta lahir", language="en")


# --- safety -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "' OR 1=1 --",
        "!!! ??? ... ---",
        "😀🎉🙏",
        "%_%",
        "\x00\x01",
        "1234567890",
    ],
)
def test_meaningless_queries_find_nothing(query):
    assert search(query, language="id") == []
    assert search_life_events(query, language="en") == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "x" * 10_000,
        "ktp " * 5_000,
        "<script>alert('ktp')</script>",
        "'; DROP TABLE catalog_service; --",
        "akta\u200blahir",
        "ktp 😀 ' OR 1=1 --",
        "ＫＴＰ",
        "кдп ктп",
        "a" * 31 + " ktp",
    ],
)
def test_hostile_queries_answer_normally(query):
    results = search(query, language="id")
    assert isinstance(results, list)
    assert all(isinstance(pk, int) and isinstance(score, float) for pk, score in results)


@pytest.mark.django_db
def test_a_long_query_is_cut_but_still_answered():
    assert top("ktp " + "lorem ipsum " * 2_000)[0] == "dukcapil-surabaya.ktp-el"
    assert (
        len(
            query_words(
                "satu dua tiga empat lima enam tujuh delapan sembilan sepuluh sebelas "
                "duabelas tigabelas empatbelas",
                "id",
            )
        )
        == MAX_QUERY_WORDS
    )


@pytest.mark.django_db
def test_html_in_a_query_is_only_words():
    assert top("<b>ktp</b>")[0] == "dukcapil-surabaya.ktp-el"


# --- cost and freshness -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_search_costs_one_small_query(django_assert_num_queries):
    # the first search after a change builds this process's index
    search("ktp", language="id")
    search_life_events("lahir", language="id")
    with django_assert_num_queries(1):
        search("akta kelahiran", language="id")
    with django_assert_num_queries(1):
        search_life_events("bayi lahir", language="id")
    with django_assert_num_queries(0):
        search("' OR 1=1 --", language="id")


def edit(folder: Path, relative: str, change) -> None:
    path = folder / relative
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.mark.django_db
def test_search_follows_a_load_that_changes_the_catalogue(catalog_dir):
    """Given a warm index, when a load adds a synonym to one service and withdraws another,
    then the next search finds the synonym and no longer finds the withdrawn service."""
    assert "dukcapil-surabaya.kia" not in top("bocah")
    assert top("apostille")[0] == "kemenkum-jatim.apostille"
    untouched = list(
        SearchEntry.objects.filter(service__code="dukcapil-surabaya.ktp-el").values_list(
            "pk", flat=True
        )
    )

    edit(
        catalog_dir,
        "services/dukcapil-surabaya/kia.yaml",
        lambda data: data["synonyms"]["id"].append("kartu bocah"),
    )
    (catalog_dir / "services/kemenkum-jatim/apostille.yaml").unlink()
    catalog_load(directory=catalog_dir)

    assert top("bocah")[0] == "dukcapil-surabaya.kia"
    assert "kemenkum-jatim.apostille" not in top("apostille", count=50)
    # an unchanged service keeps its entries; only the changed one was analysed again
    assert (
        list(
            SearchEntry.objects.filter(service__code="dukcapil-surabaya.ktp-el").values_list(
                "pk", flat=True
            )
        )
        == untouched
    )


@pytest.mark.django_db
def test_every_rebuild_of_the_entries_is_noticed():
    """Even a rebuild that keeps the revision number (a load rolled back and done again)."""
    before = catalogue_revision()
    index_services(Service.objects.none())
    assert catalogue_revision() != before


# --- life events ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "language", "expected"),
    [
        ("bayi lahir", "id", "kelahiran"),
        ("new baby", "en", "kelahiran"),
        ("nikah", "id", "pernikahan"),
        ("wedding", "en", "pernikahan"),
        ("keluarga meninggal", "id", "kematian"),
        ("pindah rumah", "id", "pindah-rumah"),
        ("buka usaha", "id", "memulai-usaha"),
        ("masuk sekolah", "id", "masuk-sekolah"),
    ],
)
def test_life_events_are_found_by_everyday_words(query, language, expected):
    results = search_life_events(query, language=language)
    assert results
    assert LifeEvent.objects.get(pk=results[0][0]).code == expected


# --- analysis (no database) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "stem"),
    [
        (["pendaftaran", "mendaftar", "daftar", "daftarin", "ngedaftar"], "daftar"),
        (["perizinan", "izin"], "izin"),
        (["kelahiran", "lahir", "lahiran"], "lahir"),
        (["pernikahan", "perkawinan", "kawin", "menikah", "nikah"], "nikah"),
        (["perpanjangan", "perpanjang", "panjangin"], "panjang"),
        (["kematian", "meninggal", "wafat"], "mati"),
        (["pengesahan", "disahkan"], "sah"),
    ],
)
def test_indonesian_words_meet_at_their_stem(words, stem):
    assert {term for word in words for term in terms(word)} == {stem}


@pytest.mark.parametrize(
    ("words", "stem"),
    [
        (["certificate", "certificates", "certification"], "certificat"),
        (["licence", "licences", "license", "licensing", "licensed"], "licens"),
        (["registration", "registrations"], "registrat"),
        (["register", "registered", "registering"], "register"),
        (["marriage", "married", "wedding"], "marriag"),
        (["enrolment", "enrollment", "enrol", "enrolled"], "enrol"),
        (["taxes", "tax"], "tax"),
        (["businesses", "business"], "business"),
        (["passports", "passport"], "passport"),
        (["companies", "company"], "company"),
    ],
)
def test_english_words_meet_at_their_stem(words, stem):
    assert {term for word in words for term in terms(word, "en")} == {stem}


def test_english_stemming_leaves_short_and_special_words():
    assert stem_en("bus") == "bus"
    assert stem_en("status") == "status"
    assert stem_en("analysis") == "analysis"
    assert stem_en("address") == "address"
    assert stem_en("k3l") == "k3l"


def test_stop_words_and_variants():
    assert normalised_words("cara bikin KTP-el yang baru") == ["ktp", "baru"]
    assert normalised_words("How do I get a passport?") == ["passport"]
    assert normalised_words("mau ngurus akte kelahiran") == ["akta", "kelahiran"]
    assert normalised_words("IMB rumah") == ["pbg", "rumah"]
    # stems that are stop-words go too: "pembuatan" is "buat"
    assert terms("pembuatan ktp") == ["ktp"]


def test_phrases_become_the_words_that_stand_for_them():
    assert terms("surat kelakuan baik") == ["skck"]
    assert terms("kartu keluarga") == ["kk"]
    assert terms("pajak motor") == ["pajak", "kendara", "motor"]
    assert terms("driving licence", "en") == ["sim"]
    # in the catalogue the words are added after the phrase, which stays
    assert analyse("Surat Keterangan Catatan Kepolisian", "id")[1] == [
        "surat",
        "terang",
        "catat",
        "polisi",
        "skck",
    ]


def test_folding():
    assert fold("Café ÉKTP") == "cafe ektp"
    assert normalised_words("ＫＴＰ 😀 ktp‐el") == ["ktp", "ktp"]
    assert normalised_words("x" * 31 + " 2024 a ktp") == ["ktp"]
    assert normalised_words("akta\u200blahir") == ["akta", "lahir"]


def test_stems_are_cached():
    stem_id("pendaftaran")
    from satupintu.catalog.search.analysis import _TOKEN_ANALYSERS

    analyser = _TOKEN_ANALYSERS["id"]
    hits = analyser.cache_info().hits
    analyse("pendaftaran pendaftaran", "id")
    assert analyser.cache_info().hits >= hits + 2


@pytest.mark.parametrize(
    ("word", "distance"), [("sim", 0), ("ktpp", 1), ("paspor", 1), ("pasport", 2), ("kelahiran", 2)]
)
def test_typo_distance_grows_with_the_word(word, distance):
    assert typo_distance(word) == distance


def small_indexes() -> dict[str, TermIndex]:
    texts = {
        1: {"title": ["Penerbitan Paspor Baru", "bikin paspor"], "summary": ["Paspor untuk WNI."]},
        2: {
            "title": ["Penerbitan Akta Kelahiran", "akta lahir"],
            "summary": ["Pencatatan kelahiran anak."],
        },
        3: {"title": ["Penerbitan Akta Kematian"], "summary": ["Pencatatan kematian."]},
        4: {"title": ["Sertifikat Tanah"], "agency": ["Kantor Pertanahan", "atrbpn"]},
    }
    return {
        language: TermIndex(
            Document.from_texts(pk, fields, language) for pk, fields in texts.items()
        )
        for language in ("id", "en")
    }


def ranked(query: str) -> list[int]:
    return [
        pk for pk, _ in rank(Query.parse(query), language="id", indexes=small_indexes(), limit=10)
    ]


def test_typos_match_the_nearest_words_with_a_lower_weight():
    index = small_indexes()["id"]
    assert ("paspor", 1) in index.similar("pasport", 1)
    assert ("sertifikat", 1) in index.similar("sertifiakt", 2)  # a swap is one edit
    assert ranked("pasport") == [1]
    assert ranked("sertifkat tanah") == [4]
    exact = dict(rank(Query.parse("paspor"), language="id", indexes=small_indexes(), limit=1))
    typo = dict(rank(Query.parse("pasport"), language="id", indexes=small_indexes(), limit=1))
    assert typo[1] < exact[1]


def test_a_known_word_is_not_taken_for_a_typo():
    # "akta" is known: it must not also match words one edit away
    assert set(ranked("akta")) == {2, 3}


def test_the_last_word_is_completed_with_a_lower_weight():
    assert ranked("akta kelah")[0] == 2
    assert ranked("sertif")[0] == 4
    assert ranked("kelah akta")[0] in {2, 3}  # only the last word is completed


def test_a_phrase_in_the_name_and_all_words_rank_first():
    assert ranked("akta kematian") == [3, 2]
    assert ranked("akta lahir")[0] == 2


def test_agency_names_are_searched():
    assert ranked("atrbpn") == [4]
