"""What the demo of Learn holds: its people, its sessions and each learner's history this
year. ``loading`` makes them through the services."""

from dataclasses import dataclass

PROVIDER = "bpsdm-jatim"
CAMPUS = "kampus-bpsdm-jatim"
TRAINER = "pelatih"
HR_EVERYWHERE = "sdm.bpsdm"
HR_DUKCAPIL = "sdm.dukcapil"
UNIT_HEAD = "kabid.dukcapil"
# The employee whose path through Learn the demo prepares.
JOURNEY_LEARNER = "petugas.dukcapil"
JOURNEY_COURSE = "layanan-jemput-bola"
JOURNEY_CLASS = "praktik-jemput-bola"


# People -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    username: str
    first_name: str
    last_name: str
    nip: str  # birth date, appointment (year, month), sex digit, serial
    agency: str
    unit: str
    position: str
    talent_position: str = ""  # a position of talent's demo, to place them in


# The government-wide HR of the training board: the role has no agency, which the demo
# staff list cannot say.
HR_PERSON = Person(
    HR_EVERYWHERE,
    "Retno",
    "Wulansari",
    "198011052005012004",
    PROVIDER,
    "sekretariat",
    "Analis Sumber Daya Manusia Aparatur Ahli Madya",
)

LEARNERS = [
    Person(
        "sri.wulandari",
        "Sri",
        "Wulandari",
        "199104172015032001",
        "dukcapil-surabaya",
        "pencatatan-sipil",
        "Pengadministrasi Kependudukan",
        "pengadministrasi-kependudukan",
    ),
    Person(
        "agus.setiawan",
        "Agus",
        "Setiawan",
        "198808092011021003",
        "dukcapil-surabaya",
        "pendaftaran-penduduk",
        "Operator SIAK",
        "pengadministrasi-kependudukan",
    ),
    Person(
        "rina.puspitasari",
        "Rina",
        "Puspitasari",
        "199312012019032005",
        "dukcapil-surabaya",
        "pendaftaran-penduduk",
        "Verifikator Data Kependudukan",
    ),
    Person(
        "yusuf.hidayat",
        "Yusuf",
        "Hidayat",
        "199605232022061001",
        "dukcapil-surabaya",
        "pencatatan-sipil",
        "Pengolah Data Kependudukan",
        "pengadministrasi-kependudukan",
    ),
    Person(
        "dimas.prasetyo",
        "Dimas",
        "Prasetyo",
        "198910302014031002",
        "dpmptsp-surabaya",
        "perizinan-usaha",
        "Analis Perizinan",
        "analis-perizinan",
    ),
    Person(
        "fitri.handayani",
        "Fitri",
        "Handayani",
        "199207082017122001",
        "dpmptsp-surabaya",
        "perizinan-bangunan",
        "Penata Perizinan Bangunan",
    ),
    Person(
        "wahyu.nugraha",
        "Wahyu",
        "Nugraha",
        "198703192010011004",
        "dinsos-surabaya",
        "linjamsos",
        "Penyuluh Sosial",
    ),
    Person(
        "maya.anggraini",
        "Maya",
        "Anggraini",
        "199409112020022002",
        "dinsos-surabaya",
        "rehsos",
        "Pekerja Sosial Ahli Pertama",
        "pekerja-sosial-ahli-pertama",
    ),
    Person(
        "andi.saputra",
        "Andi",
        "Saputra",
        "198512252012041001",
        "dinkes-surabaya",
        "p2p",
        "Epidemiolog Kesehatan Ahli Muda",
    ),
    Person(
        "nurul.hidayah",
        "Nurul",
        "Hidayah",
        "199006062015022003",
        "dinkes-surabaya",
        "kesmas",
        "Penyuluh Kesehatan Masyarakat",
    ),
    Person(
        "bagus.wicaksono",
        "Bagus",
        "Wicaksono",
        "198601272009031002",
        "diskopukm-jatim",
        "kelembagaan",
        "Pengawas Koperasi",
        "pengawas-koperasi",
    ),
    Person(
        "lestari.ningsih",
        "Lestari",
        "Ningsih",
        "199503302020032001",
        "diskopukm-jatim",
        "pemberdayaan-ukm",
        "Pendamping Usaha Mikro",
    ),
    Person(
        "hendro.kusumo",
        "Hendro",
        "Kusumo",
        "198411152009021001",
        "dpmptsp-jatim",
        "perizinan-usaha",
        "Analis Perizinan",
        "analis-perizinan",
    ),
    Person(
        "ratih.kusumawardani",
        "Ratih",
        "Kusumawardani",
        "198204042006042003",
        PROVIDER,
        "sertifikasi-pengetahuan",
        "Analis Sumber Daya Manusia Aparatur",
    ),
    Person(
        "eko.prasetyo",
        "Eko",
        "Prasetyo",
        "197908182003121002",
        PROVIDER,
        "kompetensi-teknis",
        "Pengembang Teknologi Pembelajaran",
    ),
]


# Sessions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """A session of a course: ``days`` from today (negative: in the past), its hours and
    its length in days, and where it meets."""

    course: str
    days: int
    start: tuple[int, int] = (8, 0)
    end: tuple[int, int] = (15, 30)
    length: int = 1
    capacity: int = 25
    room: str = ""
    online: str = ""
    trainer: bool = True


# In the coming three to six weeks. The course's sessions are matched in order of time, so
# that loading again finds the ones it made.
UPCOMING = [
    Slot(JOURNEY_CLASS, 22, room="Ruang Kelas Majapahit", capacity=24),
    Slot(JOURNEY_CLASS, 36, room="Ruang Kelas Majapahit", capacity=24),
    Slot("kerja-kolaboratif", 21, capacity=5, room="Ruang Diskusi Kahuripan"),
    Slot("umpan-balik-efektif", 23, (13, 0), (16, 0), online="bpsdm-jatim-umpan-balik"),
    Slot("pelayanan-adminduk-kelas", 24, end=(12, 0), length=2, room="Ruang Kelas Singhasari"),
    Slot("kepemimpinan-pelayanan", 25, length=2, capacity=40, online="bpsdm-jatim-kepemimpinan"),
    Slot("penyaluran-bantuan-sosial", 26, room="Ruang Kelas Kediri", capacity=30),
    Slot("surveilans-epidemiologi-dasar", 27, online="dinkes-sby-surveilans", trainer=False),
    Slot("lokakarya-pelayanan-prima", 28, room="Aula Airlangga", capacity=30),
    Slot("aplikasi-egov-kelas", 29, room="Laboratorium Komputer 1", capacity=20),
    Slot("statistik-untuk-kebijakan", 30, (9, 0), (12, 0), 3, 40, online="bpsdm-jatim-statistik"),
    Slot(
        "presentasi-kebijakan", 31, (13, 0), (16, 0), capacity=40, online="bpsdm-jatim-presentasi"
    ),
    Slot("pendampingan-perizinan-umkm", 33, room="Ruang Kelas Kediri", capacity=30),
    Slot("zona-integritas", 35, length=2, room="Aula Airlangga", capacity=30),
    Slot("berpikir-strategis", 36, length=3, room="Ruang Kelas Singhasari", capacity=30),
    Slot("dasbor-kinerja-layanan", 38, length=2, room="Laboratorium Komputer 2", capacity=25),
    Slot("pemeriksaan-koperasi", 40, length=2, room="Ruang Kelas Kediri", capacity=25),
    Slot("analisis-data-kependudukan", 42, length=2, room="Laboratorium Komputer 1", capacity=25),
]

# Past sessions whose attendance was taken: (slot, usernames present, usernames booked but
# absent).
PAST = [
    (
        Slot("kerja-kolaboratif", -60, room="Ruang Diskusi Kahuripan", capacity=20),
        ["ratih.kusumawardani", "eko.prasetyo", "wahyu.nugraha", "nurul.hidayah"],
        ["fitri.handayani"],
    ),
    (
        Slot("pendampingan-perizinan-umkm", -45, room="Ruang Kelas Kediri", capacity=30),
        ["dimas.prasetyo", "ratih.kusumawardani"],
        [],
    ),
    (
        Slot(
            "pelayanan-adminduk-kelas",
            -30,
            end=(12, 0),
            length=2,
            room="Ruang Kelas Singhasari",
        ),
        ["sri.wulandari"],
        [],
    ),
    (
        Slot("surveilans-epidemiologi-dasar", -20, online="dinkes-sby-surveilans", trainer=False),
        ["andi.saputra"],
        [],
    ),
    (
        Slot("umpan-balik-efektif", -15, (13, 0), (16, 0), online="bpsdm-jatim-umpan-balik"),
        ["penyelia.dukcapil"],
        [],
    ),
]

# The full session: these book in this order; the last two wait.
FULL_SESSION = ("kerja-kolaboratif", 21)
FULL_SESSION_BOOKERS = [
    "fitri.handayani",
    "hendro.kusumo",
    "lestari.ningsih",
    "agus.setiawan",
    "maya.anggraini",
    "yusuf.hidayat",
    "rina.puspitasari",
]

# Learning this year: (username, what, course, days ago or None for today). ``complete``
# works through every lesson and quiz today (or, with days, is completed on that day);
# ``progress`` does the first lessons; ``enrol`` just enrols (a request where the course
# needs approval).
HISTORY = [
    (JOURNEY_LEARNER, "complete", "kebersihan-siber", None),
    (JOURNEY_LEARNER, "progress", "nilai-dasar-berakhlak", 1),
    ("penyelia.dukcapil", "complete", "dasar-coaching", None),
    ("penyelia.dukcapil", "complete", "manajemen-kinerja-skp", 50),
    ("penyelia.dukcapil", "enrol", "program-penyelia-baru", None),
    ("penyelia.dukcapil", "enrol", "coaching-penyelia-baru", None),
    ("admin.dukcapil", "complete", "antikorupsi-dasar", 70),
    ("petugas.dpmptsp", "complete", "perizinan-oss-rba", None),
    ("petugas.dinsos", "complete", "pengelolaan-data-kesejahteraan-sosial", 12),
    ("petugas.dinkes", "complete", "komunikasi-risiko-kesehatan", None),
    ("sri.wulandari", "complete", "adminduk-dasar", 80),
    ("sri.wulandari", "complete", "pencatatan-sipil", 55),
    ("sri.wulandari", "complete", "layanan-jemput-bola", None),
    ("sri.wulandari", "enrol", "magang-jemput-bola", None),
    ("agus.setiawan", "complete", "kualitas-data-siak", None),
    ("agus.setiawan", "progress", "spbe-dasar", 2),
    ("rina.puspitasari", "complete", "kebersihan-siber", 40),
    ("rina.puspitasari", "complete", "nilai-dasar-berakhlak", 25),
    ("dimas.prasetyo", "complete", "perizinan-oss-rba", 75),
    ("fitri.handayani", "complete", "komunikasi-tertulis", None),
    ("wahyu.nugraha", "complete", "pengelolaan-data-kesejahteraan-sosial", 90),
    ("andi.saputra", "complete", "komunikasi-risiko-kesehatan", 35),
    ("nurul.hidayah", "complete", "komunikasi-risiko-kesehatan", 100),
    ("nurul.hidayah", "complete", "literasi-data-dasar", None),
    ("nurul.hidayah", "complete", "satu-data-indonesia", None),
    ("bagus.wicaksono", "complete", "kelembagaan-koperasi", 95),
    ("bagus.wicaksono", "complete", "pengawasan-koperasi", None),
    ("lestari.ningsih", "progress", "perizinan-oss-rba", 1),
    ("ratih.kusumawardani", "complete", "nilai-dasar-berakhlak", 110),
    ("ratih.kusumawardani", "complete", "literasi-data-dasar", 85),
    ("ratih.kusumawardani", "complete", "satu-data-indonesia", None),
    ("ratih.kusumawardani", "complete", "perizinan-oss-rba", 65),
    ("eko.prasetyo", "complete", "spbe-dasar", 33),
]

# Assigned by a unit head or HR: (assigned by, username, course, days to finish).
ASSIGNMENTS = [
    (HR_EVERYWHERE, "maya.anggraini", "pelayanan-inklusif", 45),
    (UNIT_HEAD, "yusuf.hidayat", "adminduk-dasar", 30),
    (HR_EVERYWHERE, "bagus.wicaksono", "magang-koperasi-percontohan", 60),
]

# Coaching and experiential courses whose completion HR confirmed.
CONFIRMED = [(HR_EVERYWHERE, "bagus.wicaksono", "magang-koperasi-percontohan")]

# Learning done elsewhere: (username, title, provider, days ago, JP, decided by, approve,
# reason). ``decided by`` None: still awaiting HR.
CLAIMS = [
    (
        "rina.puspitasari",
        "Webinar Pelayanan Publik yang Inklusif bagi Penyandang Disabilitas",
        "Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
        18,
        "4",
        None,
        None,
        "",
    ),
    (
        "admin.dukcapil",
        "Bimbingan Teknis Pengelolaan Arsip Dinamis",
        "Arsip Nasional Republik Indonesia",
        40,
        "16",
        HR_DUKCAPIL,
        True,
        "",
    ),
    (
        "dimas.prasetyo",
        "Pelatihan Analisis Kebijakan Perizinan Berusaha",
        "Lembaga Administrasi Negara",
        100,
        "8",
        HR_EVERYWHERE,
        True,
        "",
    ),
    (
        "nurul.hidayah",
        "Kursus Daring Dasar Epidemiologi Lapangan",
        "Fakultas Kesehatan Masyarakat Universitas Airlangga",
        60,
        "12",
        HR_EVERYWHERE,
        True,
        "",
    ),
    (
        "eko.prasetyo",
        "Seminar Motivasi Kerja Produktif",
        "PT Inspirasi Nusantara",
        50,
        "6",
        HR_EVERYWHERE,
        False,
        "Sertifikat tidak mencantumkan jumlah jam pelajaran dan materi yang dapat diverifikasi. "
        "Ajukan lagi dengan sertifikat yang memuat jam pelajaran.",
    ),
]
