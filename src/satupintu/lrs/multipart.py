"""multipart/mixed bodies (RFC 2046) as the Statement resource uses them: the statements
in a first ``application/json`` part, then the raw data of each attachment in a part with
an ``X-Experience-API-Hash`` header and ``Content-Transfer-Encoding: binary``.

The parser works on bytes and never decodes an attachment: its data is compared with the
statement's declaration by its SHA-2 digest only.
"""

import hashlib
import secrets
from dataclasses import dataclass, field

from satupintu.lrs.constants import SHA2_LENGTHS
from satupintu.lrs.validation import fail

WHERE = "multipart body"


@dataclass
class Part:
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


def content_type_parameters(value: str) -> tuple[str, dict[str, str]]:
    """``text/plain; charset=utf-8`` as ``("text/plain", {"charset": "utf-8"})``."""
    main, *rest = value.split(";")
    parameters = {}
    for item in rest:
        name, sep, raw = item.partition("=")
        if not sep:
            continue
        raw = raw.strip()
        if len(raw) >= 2 and raw[0] == raw[-1] == '"':
            raw = raw[1:-1]
        parameters[name.strip().lower()] = raw
    return main.strip().lower(), parameters


def _headers(block: bytes, newline: bytes) -> dict[str, str]:
    headers = {}
    for line in block.split(newline):
        if not line.strip():
            continue
        name, sep, value = line.partition(b":")
        if not sep:
            fail(WHERE, "a part has a header line without a colon")
        try:
            headers[name.decode("ascii").strip().lower()] = value.decode("utf-8").strip()
        except UnicodeDecodeError:
            fail(WHERE, "a part's headers must be ASCII")
    return headers


def parse(body: bytes, boundary: str) -> list[Part]:
    """The parts of a multipart body, in order."""
    if not boundary:
        fail("Content-Type", "a multipart/mixed request must name its boundary")
    marker = b"--" + boundary.encode("latin-1")
    start = 0 if body.startswith(marker) else body.find(b"\n" + marker)
    if start < 0:
        fail(WHERE, "the boundary named in Content-Type does not appear in the body")
    if start:
        start += 1
    position = start + len(marker)
    newline = b"\r\n" if body[position:].lstrip(b" \t").startswith(b"\r\n") else b"\n"
    delimiter = newline + marker
    parts: list[Part] = []
    while True:
        if body.startswith(b"--", position):
            return parts  # the close delimiter
        line_end = body.find(newline, position)
        if line_end < 0:
            fail(WHERE, "the body ends before its closing boundary")
        content_start = line_end + len(newline)
        end = body.find(delimiter, content_start - len(newline))
        if end < 0:
            fail(WHERE, "the body ends before its closing boundary")
        chunk = body[content_start:end] if end >= content_start else b""
        separator = newline + newline
        if chunk.startswith(newline):
            header_block, data = b"", chunk[len(newline) :]
        else:
            header_end = chunk.find(separator)
            if header_end < 0:
                fail(WHERE, "a part has no blank line between its headers and its data")
            header_block, data = chunk[:header_end], chunk[header_end + len(separator) :]
        parts.append(Part(headers=_headers(header_block, newline), body=data))
        position = end + len(delimiter)


def sha2_of(data: bytes, length: int) -> str:
    """The hexadecimal SHA-2 digest of ``data`` of the same size as a declared digest of
    ``length`` hexadecimal digits."""
    return hashlib.new(SHA2_LENGTHS.get(length, "sha256"), data).hexdigest()


def attachment_parts(parts: list[Part]) -> dict[str, bytes]:
    """The attachment parts after the first, by the digest their header declares; each
    part's data must have that digest."""
    payloads: dict[str, bytes] = {}
    for index, part in enumerate(parts[1:], start=1):
        where = f"{WHERE} part {index + 1}"
        declared = part.headers.get("x-experience-api-hash", "").strip().lower()
        if not declared:
            fail(where, "an attachment part must have an X-Experience-API-Hash header")
        encoding = part.headers.get("content-transfer-encoding", "").strip().lower()
        if encoding != "binary":
            fail(where, "an attachment part must have the header Content-Transfer-Encoding: binary")
        if len(declared) not in SHA2_LENGTHS:
            fail(where, "X-Experience-API-Hash must be a hexadecimal SHA-2 digest")
        if sha2_of(part.body, len(declared)) != declared:
            fail(where, "the data does not have the SHA-2 digest its X-Experience-API-Hash names")
        payloads[declared] = part.body
    return payloads


def build(first: bytes, attachments: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    """A multipart/mixed body of the JSON ``first`` part and ``(sha2, content type, data)``
    attachment parts; returns the body and its Content-Type."""
    boundary = secrets.token_hex(16)
    while any(boundary.encode() in data for _, _, data in attachments):
        boundary = secrets.token_hex(16)
    marker = b"--" + boundary.encode()
    chunks = [marker, b"\r\nContent-Type: application/json\r\n\r\n", first]
    for sha2, content_type, data in attachments:
        chunks += [
            b"\r\n",
            marker,
            f"\r\nContent-Type: {content_type}\r\nContent-Transfer-Encoding: binary\r\n"
            f"X-Experience-API-Hash: {sha2}\r\n\r\n".encode(),
            data,
        ]
    chunks += [b"\r\n", marker, b"--\r\n"]
    return b"".join(chunks), f'multipart/mixed; boundary="{boundary}"'
