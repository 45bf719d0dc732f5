"""The export for the national complaint system (complaints, 4): an adapter interface whose
push is not live, and a documented JSON and CSV format, made by a staff action or by
`satupintu manage complaints_export --from --to`; an agency's staff export only their
agency's complaints; anonymous ones carry no identity."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from satupintu.complaints import exchange, services
from satupintu.complaints.constants import RejectionReason
from satupintu.core.errors import Forbidden
from satupintu.core.models import AuditEvent
from tests.complaints.factories import agency, file, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def complaints(people):
    coordinator = people["koordinator.lapor"]
    routed = services.complaint_route(
        complaint=file(people["warga"]).complaint, actor=coordinator, agency=agency()
    )
    services.complaint_follow_up(
        complaint=routed, actor=people["petugas.dukcapil"], body="Sudah diperbaiki."
    )
    anonymous = file(None, anonymous=True, confidential=True, kind="whistleblowing").complaint
    rejected = services.complaint_reject(
        complaint=file(people["warga2"], kind="information").complaint,
        actor=coordinator,
        reason=RejectionReason.DUPLICATE,
        note="Sama dengan laporan sebelumnya.",
    )
    other = services.complaint_route(
        complaint=file(people["warga2"], service="dpmptsp-surabaya.pendampingan-nib").complaint,
        actor=coordinator,
        agency=agency("dpmptsp-surabaya"),
    )
    return {"routed": routed, "anonymous": anonymous, "rejected": rejected, "other": other}


def today():
    return timezone.localdate()


def test_the_json_format(complaints):
    content = services.complaints_export(
        actor=None, date_from=today(), date_to=today(), everything=True
    )
    document = json.loads(content)
    assert document["format"] == "satupintu.complaints/1"
    assert document["period"] == {"from": today().isoformat(), "to": today().isoformat()}
    assert document["count"] == 4
    records = {record["tracking"]: record for record in document["complaints"]}
    routed = records[complaints["routed"].tracking]
    assert set(routed) == {
        "tracking", "category", "title", "description", "submitted_at", "status", "anonymous",
        "confidential", "reporter", "agency", "service", "case_tracking", "routed_at",
        "first_follow_up_at", "closed_at", "rejection", "follow_ups",
    }  # fmt: skip
    assert routed["category"] == "pengaduan"
    assert routed["reporter"] == {
        "name": "Siti Rahayu",
        "email": "siti.rahayu@contoh.id",
        "phone": "081234567890",
    }
    assert routed["agency"] == {"code": "dukcapil-surabaya", "name": agency().name_id}
    assert [f["text"] for f in routed["follow_ups"]] == ["Sudah diperbaiki."]
    anonymous = records[complaints["anonymous"].tracking]
    assert anonymous["reporter"] is None
    assert anonymous["category"] == "whistleblowing" and anonymous["confidential"] is True
    rejected = records[complaints["rejected"].tracking]
    assert rejected["rejection"] == {
        "reason": "duplicate",
        "note": "Sama dengan laporan sebelumnya.",
    }
    assert rejected["category"] == "permintaan_informasi"
    assert AuditEvent.objects.filter(action="complaints.exported").count() == 1


def test_the_csv_format(complaints):
    content = services.complaints_export(
        actor=None, date_from=today(), date_to=today(), fmt="csv", everything=True
    )
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert list(rows[0]) == exchange.CSV_COLUMNS
    by_tracking = {row["tracking"]: row for row in rows}
    anonymous = by_tracking[complaints["anonymous"].tracking]
    assert anonymous["anonymous"] == "1"
    assert anonymous["reporter_name"] == anonymous["reporter_email"] == ""
    assert by_tracking[complaints["routed"].tracking]["last_follow_up"] == "Sudah diperbaiki."


def test_the_period_is_by_filing_date(complaints):
    yesterday = today() - timezone.timedelta(days=1)
    content = services.complaints_export(
        actor=None, date_from=yesterday, date_to=yesterday, everything=True
    )
    assert json.loads(content)["count"] == 0


def test_an_agency_exports_its_own_complaints_only(client, people, complaints):
    client.force_login(people["petugas.dukcapil"])
    response = client.post(
        url("export"), {"date_from": today(), "date_to": today(), "format": "json"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    trackings = {record["tracking"] for record in json.loads(response.content)["complaints"]}
    assert trackings == {complaints["routed"].tracking}
    with pytest.raises(Forbidden):
        services.complaints_export(actor=people["warga"], date_from=today(), date_to=today())


def test_the_coordinator_exports_everything_from_the_page(client, people, complaints):
    client.force_login(people["koordinator.lapor"])
    assert client.get(url("export")).status_code == 200
    response = client.post(
        url("export"), {"date_from": today(), "date_to": today(), "format": "csv"}
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.decode("utf-8-sig").count("ADU-") == 4
    wrong = client.post(
        url("export"),
        {"date_from": today(), "date_to": today() - timezone.timedelta(days=1), "format": "csv"},
    )
    assert wrong.status_code == 400


def test_the_command(complaints, tmp_path):
    out = io.StringIO()
    day = today().isoformat()
    call_command("complaints_export", "--from", day, "--to", day, stdout=out)
    assert json.loads(out.getvalue())["count"] == 4
    target = tmp_path / "lapor.csv"
    call_command(
        "complaints_export",
        "--from",
        day,
        "--to",
        day,
        "--format",
        "csv",
        "--output",
        str(target),
        stderr=io.StringIO(),
    )
    assert target.read_bytes().decode("utf-8-sig").startswith("tracking,category")
    with pytest.raises(CommandError):
        call_command("complaints_export", "--from", "kemarin", "--to", day)


def test_the_national_system_adapter_is_not_live(complaints):
    lapor: exchange.ComplaintExchange = exchange.exchange_for("lapor")
    assert json.loads(lapor.export([complaints["routed"]]))["count"] == 1
    with pytest.raises(exchange.ExchangeUnavailable):
        lapor.push([complaints["routed"]])
