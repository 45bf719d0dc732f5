"""Attachments (xAPI 1.0.3, Part Two, 2.4.11 and 2.6; Part Three, 1.5.2): statements with
attachments arrive as multipart/mixed, each attachment part is matched to its declaration
by SHA-2 and stored through the storage API; a part with the wrong digest, a declaration
without data or fileUrl, or a part that belongs to nothing is refused; GET with
attachments=true answers multipart/mixed with the data; signed statements must carry a
well-formed JWS whose payload is the statement."""

import base64
import datetime
import hashlib
import json

import pytest
from django.core.files.storage import default_storage

from satupintu.lrs import multipart
from satupintu.lrs.models import AttachmentPayload, Statement
from tests.lrs.factories import statement

pytestmark = pytest.mark.django_db

TEXT = b"here is a simple attachment"
SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


def declaration(data: bytes = TEXT, **overrides) -> dict:
    result = {
        "usageType": "http://example.com/attachment-usage/test",
        "display": {"en-US": "A test attachment"},
        "contentType": "text/plain; charset=ascii",
        "length": len(data),
        "sha2": hashlib.sha256(data).hexdigest(),
    }
    result.update(overrides)
    return result


def body_of(first, parts: list[tuple[dict, bytes]], boundary="abcABC0123'()+_,-./:=?"):
    """A multipart/mixed body like the specification's example."""
    chunks = [f"--{boundary}\r\nContent-Type:application/json\r\n\r\n".encode()]
    chunks.append(json.dumps(first).encode())
    for headers, data in parts:
        chunks.append(f"\r\n--{boundary}\r\n".encode())
        chunks += [f"{name}:{value}\r\n".encode() for name, value in headers.items()]
        chunks += [b"\r\n", data]
    chunks.append(f"\r\n--{boundary}--".encode())
    return b"".join(chunks), f'multipart/mixed; boundary="{boundary}"'


def part(data: bytes = TEXT, sha2: str | None = None) -> tuple[dict, bytes]:
    return (
        {
            "Content-Type": "text/plain",
            "Content-Transfer-Encoding": "binary",
            "X-Experience-API-Hash": sha2 or hashlib.sha256(data).hexdigest(),
        },
        data,
    )


def test_a_statement_with_an_attachment_round_trips(xapi):
    body = statement(attachments=[declaration()])
    content, content_type = body_of(body, [part()])
    response = xapi.post("statements", body=content, content_type=content_type)
    assert response.status_code == 200, response.content
    stored = AttachmentPayload.objects.get()
    assert stored.file == f"lrs/attachments/{stored.sha2}"
    assert default_storage.open(stored.file).read() == TEXT

    response = xapi.get("statements", {"statementId": body["id"], "attachments": "true"})
    assert response.status_code == 200
    main, parameters = multipart.content_type_parameters(response["Content-Type"])
    assert main == "multipart/mixed"
    parts = multipart.parse(response.content, parameters["boundary"])
    assert json.loads(parts[0].body)["id"] == body["id"]
    assert parts[1].body == TEXT
    assert parts[1].headers["x-experience-api-hash"] == stored.sha2
    assert parts[1].headers["content-transfer-encoding"] == "binary"

    listed = xapi.get("statements", {"attachments": "true"})
    parts = multipart.parse(
        listed.content, multipart.content_type_parameters(listed["Content-Type"])[1]["boundary"]
    )
    assert [item["id"] for item in json.loads(parts[0].body)["statements"]] == [body["id"]]
    assert parts[1].body == TEXT
    plain = xapi.get("statements", {"statementId": body["id"]})
    assert plain["Content-Type"].startswith("application/json")


def test_one_part_serves_the_same_attachment_in_several_statements(xapi):
    first, second = statement(attachments=[declaration()]), statement(attachments=[declaration()])
    content, content_type = body_of([first, second], [part()])
    assert xapi.post("statements", body=content, content_type=content_type).status_code == 200
    assert AttachmentPayload.objects.count() == 1


def test_binary_data_is_kept_byte_for_byte(xapi):
    data = bytes(range(256)) * 4 + b"\r\n--abc\r\n"
    body = statement(attachments=[declaration(data, contentType="application/octet-stream")])
    content, content_type = body_of(body, [part(data)], boundary="xyzXYZ")
    assert xapi.post("statements", body=content, content_type=content_type).status_code == 200
    stored = AttachmentPayload.objects.get()
    assert default_storage.open(stored.file).read() == data


def test_a_part_whose_data_does_not_have_its_digest_is_refused(xapi):
    body = statement(attachments=[declaration()])
    content, content_type = body_of(body, [part(b"something else", sha2=declaration()["sha2"])])
    response = xapi.post("statements", body=content, content_type=content_type)
    assert response.status_code == 400
    assert "digest" in response.json()["detail"]
    assert not Statement.objects.exists()


def test_a_declaration_without_data_or_file_url_is_refused(xapi):
    body = statement(attachments=[declaration()])
    content, content_type = body_of(body, [])
    response = xapi.post("statements", body=content, content_type=content_type)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("statement[0].attachments[0]: has no fileUrl")
    response = xapi.post("statements", data=body)
    assert response.status_code == 400


def test_a_part_that_belongs_to_no_attachment_is_refused(xapi):
    content, content_type = body_of(statement(), [part()])
    response = xapi.post("statements", body=content, content_type=content_type)
    assert response.status_code == 400
    assert "belongs to no attachment" in response.json()["detail"]


def test_parts_need_their_headers(xapi):
    body = statement(attachments=[declaration()])
    headers, data = part()
    for missing in ("X-Experience-API-Hash", "Content-Transfer-Encoding"):
        partial = {name: value for name, value in headers.items() if name != missing}
        content, content_type = body_of(body, [(partial, data)])
        response = xapi.post("statements", body=content, content_type=content_type)
        assert response.status_code == 400, missing
        assert missing in response.json()["detail"]


def test_the_first_part_must_be_json(xapi):
    content = b"--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--"
    response = xapi.post("statements", body=content, content_type="multipart/mixed; boundary=b")
    assert response.status_code == 400
    assert "first part" in response.json()["detail"]


def test_attachments_with_a_file_url_need_no_data(xapi):
    body = statement(attachments=[declaration(fileUrl="https://files.example.org/a.txt")])
    assert xapi.post("statements", data=body).status_code == 200
    content, content_type = body_of(statement(), [])
    assert xapi.post("statements", body=content, content_type=content_type).status_code == 200


def test_a_put_with_an_attachment(xapi):
    body = statement(attachments=[declaration()])
    content, content_type = body_of(body, [part()])
    response = xapi.put(
        "statements", {"statementId": body["id"]}, body=content, content_type=content_type
    )
    assert response.status_code == 204, response.content


# Signed statements ---------------------------------------------------------------------


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest.fixture(scope="module")
def signer():
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Satupintu test signer")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    der = certificate.public_bytes(serialization.Encoding.DER)
    return key, base64.b64encode(der).decode()


def jws(signer, payload: dict, *, alg="RS256", tamper=False) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    key, certificate = signer
    header = _b64url(json.dumps({"alg": alg, "x5c": [certificate]}).encode())
    body = _b64url(json.dumps(payload).encode())
    signature = key.sign(f"{header}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256())
    if tamper:
        signature = bytes([signature[0] ^ 1]) + signature[1:]
    return f"{header}.{body}.{_b64url(signature)}".encode()


def signed(signer, **kwargs):
    original = statement()
    token = jws(signer, original, **kwargs)
    body = {
        **original,
        "attachments": [
            declaration(token, usageType=SIGNATURE, contentType="application/octet-stream")
        ],
    }
    return body, token


def test_a_well_signed_statement_is_stored(xapi, signer):
    body, token = signed(signer)
    content, content_type = body_of(body, [part(token)])
    response = xapi.post("statements", body=content, content_type=content_type)
    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda signer: b"not-a-jws", "compact serialisation"),
        (lambda signer: b"a.b", "compact serialisation"),
        (lambda signer: b"e30.e30.!!", "not base64url"),
        (lambda signer: b"bm90IGpzb24.e30.AA", "malformed"),
    ],
)
def test_a_malformed_signature_is_refused(xapi, signer, make, message):
    original = statement()
    token = make(signer)
    body = {
        **original,
        "attachments": [
            declaration(token, usageType=SIGNATURE, contentType="application/octet-stream")
        ],
    }
    content, content_type = body_of(body, [part(token)])
    response = xapi.post("statements", body=content, content_type=content_type)
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_a_signature_of_another_statement_is_refused(xapi, signer):
    body, token = signed(signer)
    body["result"] = {"success": True}
    content, content_type = body_of(body, [part(token)])
    response = xapi.post("statements", body=content, content_type=content_type)
    assert response.status_code == 400
    assert "does not match" in response.json()["detail"]


def test_a_signature_that_does_not_verify_or_uses_another_algorithm_is_refused(xapi, signer):
    body, token = signed(signer, tamper=True)
    content, content_type = body_of(body, [part(token)])
    response = xapi.post("statements", body=content, content_type=content_type)
    assert response.status_code == 400
    assert "does not verify" in response.json()["detail"]
    body, token = signed(signer, alg="HS256")
    content, content_type = body_of(body, [part(token)])
    response = xapi.post("statements", body=content, content_type=content_type)
    assert "RS256, RS384 or RS512" in response.json()["detail"]


def test_a_signature_must_be_octet_stream_and_sent_with_its_data(xapi, signer):
    body, token = signed(signer)
    body["attachments"][0]["contentType"] = "application/jose"
    content, content_type = body_of(body, [part(token)])
    response = xapi.post("statements", body=content, content_type=content_type)
    assert response.status_code == 400
    assert "application/octet-stream" in response.json()["detail"]
    body, token = signed(signer)
    body["attachments"][0]["fileUrl"] = "https://files.example.org/sig"
    response = xapi.post("statements", data=body)
    assert response.status_code == 400
