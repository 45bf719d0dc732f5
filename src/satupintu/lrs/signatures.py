"""Signed statements (xAPI 1.0.3, Part Two, 2.6).

A signed statement carries a JSON Web Signature in compact serialisation as an attachment
of usage type ``.../attachments/signature``. The LRS decodes it, checks that its payload is
the statement it came with, that it uses RS256, RS384 or RS512, and, when its header holds
an X.509 certificate chain (``x5c``), that the signature verifies against the first
certificate. A malformed signature is a 400.
"""

import base64
import binascii
import re

from satupintu.lrs.constants import SIGNATURE_ALGORITHMS
from satupintu.lrs.equivalence import statements_equivalent
from satupintu.lrs.validation import StatementError, fail, parse_json, statement_validate

BASE64URL_RE = re.compile(r"^[A-Za-z0-9_-]*$")


def _base64url(part: str, path: str, what: str) -> bytes:
    if not BASE64URL_RE.match(part):
        fail(path, f"the {what} of the JWS signature is not base64url")
    try:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError):
        fail(path, f"the {what} of the JWS signature is not base64url")
    raise AssertionError  # unreachable


def _verify(header: dict, signing_input: bytes, signature: bytes, path: str) -> None:
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    chain = header["x5c"]
    if not isinstance(chain, list) or not chain or not isinstance(chain[0], str):
        fail(path, "the x5c header of the JWS signature must be a list of certificates")
    try:
        certificate = x509.load_der_x509_certificate(base64.b64decode(chain[0], validate=True))
    except (binascii.Error, ValueError):
        fail(path, "the first certificate in the x5c header of the JWS signature is not valid")
    key = certificate.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        fail(path, "the certificate of the JWS signature must hold an RSA key")
    algorithm = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}[
        SIGNATURE_ALGORITHMS[header["alg"]]
    ]()
    try:
        key.verify(signature, signing_input, padding.PKCS1v15(), algorithm)
    except InvalidSignature:
        fail(path, "the JWS signature does not verify against the certificate in its header")


def signature_check(*, statement: dict, jws: bytes, path: str) -> None:
    """Check the JWS signature ``jws`` of ``statement``; raise ``StatementError`` when it
    is malformed or does not belong to the statement."""
    try:
        text = jws.decode("ascii").strip()
    except UnicodeDecodeError:
        fail(path, "the signature must be a JWS in compact serialisation (ASCII)")
    parts = text.split(".")
    if len(parts) != 3:
        fail(
            path,
            "the signature must be a JWS in compact serialisation: three base64url parts "
            "separated by dots",
        )
    try:
        header = parse_json(_base64url(parts[0], path, "header"), "header")
        payload = parse_json(_base64url(parts[1], path, "payload"), "payload")
    except StatementError as error:
        fail(path, f"the JWS signature is malformed: {error.detail}")
    signature = _base64url(parts[2], path, "signature")
    if not isinstance(header, dict):
        fail(path, "the header of the JWS signature must be a JSON object")
    if header.get("alg") not in SIGNATURE_ALGORITHMS:
        fail(path, "the JWS signature must use the algorithm RS256, RS384 or RS512")
    try:
        signed = statement_validate(payload, "payload")
    except StatementError as error:
        fail(path, f"the payload of the JWS signature is not a valid statement: {error.detail}")
    if "id" in signed and "id" in statement and signed["id"].lower() != statement["id"].lower():
        fail(path, "the statement in the JWS signature has another id")
    if not statements_equivalent(signed, statement):
        fail(path, "the statement in the JWS signature does not match the statement sent")
    if "x5c" in header:
        _verify(header, f"{parts[0]}.{parts[1]}".encode("ascii"), signature, path)
