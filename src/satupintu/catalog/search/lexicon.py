"""The word tables of search: stop-words, everyday variants and slang, stem corrections and
the phrases that stand for one thing (an abbreviation citizens use).

The tables apply to both languages: a citizen on the Indonesian page may type English and the
other way round, and no word here means something else in the other language. Entries are
written as people type them (lower case, no punctuation); phrases are run through the same
analysis as the catalogue's text, so they may be written in any inflected form.
"""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that carry no meaning for finding a service: function words, pronouns, question and
# request words ("cara bikin ktp", "how do I get a passport"). They are dropped both as typed
# and after stemming ("pembuatan" → "buat", "pengurusan" → "urus").
STOP_WORDS_ID = _words(
    """
    yang yg dan dgn dengan di ke dari dr untuk utk buat bikin bkin bikinin urus ngurus urusin
    cara caranya gimana gmn bagaimana bgmn mau ingin pengen pingin pgn saya sy aku gue gua gw
    ane kami kita anda kamu km atau ini itu tsb tersebut ada apa apakah adalah akan sudah udah
    sdh belum blm bisa bs dapat harus hrs perlu tolong mohon dong deh sih nih aja saja ya
    dimana mana kapan berapa brp syarat prosedur tentang pada oleh juga lagi para sebagai
    secara agar supaya jika kalau kalo klo bila maupun tidak tdk gak ga nggak enggak nya si
    pak bu mas mbak kak min gan halo hai permisi dalam bagi hingga sampai sejak nyari cari
    gitu bagaimanakah dimanakah el
    """
)

STOP_WORDS_EN = _words(
    """
    a an the to of for in on at by with from and or my me mine im ive we us our you your he
    she his her they their it its is am are was were be been being do does did doing done
    have has had can could should would will shall may might must how what where when which
    who why want wanna need needs get gets got getting make makes making apply applying
    please pls help about this that these those there here some any if so then than as into
    up requirement requirements procedure procedures fee fees cost costs much many way steps
    step guide
    """
)

STOP_WORDS = STOP_WORDS_ID | STOP_WORDS_EN

# Everyday spellings, slang and synonyms → the word the catalogue uses. A value may hold
# several words.
VARIANTS = {
    # spelling
    "akte": "akta",
    "akter": "akta",
    "sertipikat": "sertifikat",
    "serifikat": "sertifikat",
    "ektp": "ktp",
    "ktpel": "ktp",
    "nmr": "nomor",
    "ilang": "hilang",
    "ranmor": "kendaraan bermotor",
    "motornya": "motor",
    "mobilnya": "mobil",
    "licence": "license",
    "licences": "licenses",
    "enrollment": "enrolment",
    "enrollments": "enrolment",
    # slang verb forms that the stemmer does not know
    "ngedaftar": "daftar",
    "daftarin": "daftar",
    "ndaftar": "daftar",
    "panjangin": "perpanjang",
    "manjangin": "perpanjang",
    "gantiin": "ganti",
    "bikinan": "",
    "lahiran": "lahir",
    "nikahan": "nikah",
    "kawinan": "nikah",
    "menikah": "nikah",
    "nikahin": "nikah",
    # one meaning, several words
    "meninggal": "mati",
    "wafat": "mati",
    "tewas": "mati",
    "imb": "pbg",
    "ppdb": "spmb",
}

# Corrections of the Indonesian stemmer, from the word as typed to its stem.
STEM_OVERRIDES_ID = {
    "pengesahan": "sah",
    "mengesahkan": "sah",
    "disahkan": "sah",
    "peserta": "peserta",
}

# Stems that mean the same thing, in either language.
CANONICAL_STEMS = {
    "kawin": "nikah",
    "licenc": "licens",
    "enroll": "enrol",
    "enrolment": "enrol",
    "marri": "marriag",
    "marry": "marriag",
    "wed": "marriag",
    "driver": "driv",
    "died": "death",
    "dead": "death",
    "die": "death",
    "deceas": "death",
    "born": "birth",
    "renewal": "renew",
}

# Phrases that name one thing, and the words that stand for them: an abbreviation, or the
# thing's full name where the abbreviation means several things ("PKB" is both the vehicle
# tax and a collective labour agreement). In the catalogue's text the words are added after
# the phrase; in a query they replace it, so "surat kelakuan baik" finds the service whose
# text says "SKCK", and the other way round.
PHRASES = {
    "kartu tanda penduduk": "ktp",
    "identity card": "ktp",
    "id card": "ktp",
    "kartu keluarga": "kk",
    "family card": "kk",
    "kartu identitas anak": "kia",
    "child identity card": "kia",
    "child id card": "kia",
    "surat kelakuan baik": "skck",
    "surat keterangan kelakuan baik": "skck",
    "surat keterangan catatan kepolisian": "skck",
    "catatan kepolisian": "skck",
    "police clearance": "skck",
    "police certificate": "skck",
    "police record": "skck",
    "good conduct certificate": "skck",
    "certificate of good conduct": "skck",
    "surat izin mengemudi": "sim",
    "driving licence": "sim",
    "driving license": "sim",
    "driver license": "sim",
    "surat tanda nomor kendaraan": "stnk",
    "vehicle registration certificate": "stnk",
    "buku pemilik kendaraan bermotor": "bpkb",
    "pajak kendaraan": "pajak kendaraan bermotor",
    "pajak motor": "pajak kendaraan bermotor",
    "pajak mobil": "pajak kendaraan bermotor",
    "car tax": "motor vehicle tax",
    "motorcycle tax": "motor vehicle tax",
    "motorbike tax": "motor vehicle tax",
    "road tax": "motor vehicle tax",
    "pajak bumi dan bangunan": "pbb",
    "property tax": "pbb",
    "land and building tax": "pbb",
    "nomor induk berusaha": "nib",
    "business identification number": "nib",
    "persetujuan bangunan gedung": "pbg",
    "izin mendirikan bangunan": "pbg",
    "building permit": "pbg",
    "building approval": "pbg",
    "nomor pokok wajib pajak": "npwp",
    "tax identification number": "npwp",
    "badan penyelenggara jaminan sosial": "bpjs",
    "kantor urusan agama": "kua",
    "penerimaan murid baru": "spmb",
    "penerimaan peserta didik baru": "spmb",
    "co op": "cooperative",
}
