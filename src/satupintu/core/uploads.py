"""Uploaded files, checked by what they are rather than by what they are called, and every
file served back in a way that runs nothing.

**Upload.** A file is refused when it is empty, larger than the limit (counted while
reading, whatever size the browser declared), of a type the caller does not accept (read
from its bytes with ``puremagic``; the name and the declared content type are ignored), or a
PDF without its end marker (a file cut short by a dropped connection). Callers turn the
refusal's ``code`` into a message that fits their form.

**Download.** Every view that sends a stored or generated file (an applicant's document, an
outcome document, a certificate, a lesson's file, an export) answers through
``file_response`` or ``file_headers``:

- the Content-Type is the one stored when the file was checked, or read from its bytes,
  never guessed from its name;
- only PDF and raster images (``INLINE_TYPES``) may be shown in the browser, and only when
  the view asks for it; everything else (HTML, SVG, XML, scripts, programs, office files,
  unknown bytes) is ``Content-Disposition: attachment``;
- ``X-Content-Type-Options: nosniff``, so that no browser second-guesses the type;
- ``Content-Security-Policy: default-src 'none'; sandbox``, so that even a file the browser
  did render could run no script, load nothing and reach no cookie of the site;
- ``Cache-Control: private, no-store`` unless the view said otherwise.
"""

import io

import puremagic
from django.http import FileResponse
from django.utils.http import content_disposition_header

MB = 1024 * 1024
_CHUNK = 64 * 1024
_PDF_TAIL = 2048
# Other names of the same types in the detector's answers.
_ALIASES = {
    "application/x-pdf": "application/pdf",
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "image/x-png": "image/png",
}


class UploadRefused(Exception):
    """``code`` is one of ``empty_file``, ``file_too_large``, ``file_type_not_allowed``,
    ``invalid_file``."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def upload_type(upload, *, accept: set[str] | dict[str, str], max_mb: float) -> str:
    """The content type of ``upload``, one of ``accept``, read from its bytes; else
    ``UploadRefused``. The file is left at its start."""
    if upload is None or not hasattr(upload, "chunks"):
        raise UploadRefused("invalid_file")
    limit = int(max_mb * MB)
    declared = getattr(upload, "size", None)
    if declared and declared > limit:
        raise UploadRefused("file_too_large")
    size = 0
    try:
        for chunk in upload.chunks(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise UploadRefused("file_too_large")
    except OSError:
        raise UploadRefused("invalid_file") from None
    if size == 0:
        raise UploadRefused("empty_file")
    try:
        upload.seek(0)
        # No file name: the detector would otherwise trust the extension.
        matches = puremagic.magic_stream(upload)
    except (puremagic.PureError, ValueError, OSError):
        matches = []
    finally:
        upload.seek(0)
    found = set()
    if matches:
        best = max(match.confidence for match in matches)
        found = {
            _ALIASES.get(match.mime_type, match.mime_type)
            for match in matches
            if match.confidence == best and match.mime_type
        }
    content_type = next((kind for kind in accept if kind in found), None)
    if content_type is None:
        raise UploadRefused("file_type_not_allowed")
    if content_type == "application/pdf":
        try:
            upload.seek(max(size - _PDF_TAIL, 0))
            complete = b"%%EOF" in upload.read(_PDF_TAIL)
        finally:
            upload.seek(0)
        if not complete:
            raise UploadRefused("invalid_file")
    return content_type


# Serving files -------------------------------------------------------------------------------

#: What a browser may show in a tab: types that carry no script. Everything else downloads.
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"})
#: The policy of every file response: nothing loads, nothing runs, the origin is opaque.
FILE_POLICY = "default-src 'none'; sandbox"
UNKNOWN_TYPE = "application/octet-stream"


def stored_type(handle) -> str:
    """The content type of a stored file, read from its first and last bytes; the file is
    left at its start. ``application/octet-stream`` when the bytes say nothing known."""
    try:
        handle.seek(0)
        matches = puremagic.magic_stream(handle)
    except (puremagic.PureError, ValueError, OSError):
        matches = []
    finally:
        handle.seek(0)
    best = max((match.confidence for match in matches), default=None)
    found = [
        _ALIASES.get(match.mime_type, match.mime_type)
        for match in matches
        if match.confidence == best and match.mime_type
    ]
    # Of equally likely answers, a type that runs nothing wins: it is what the bytes are
    # served as, and ``nosniff`` holds the browser to it.
    return next(
        (kind for kind in found if kind in INLINE_TYPES), found[0] if found else UNKNOWN_TYPE
    )


def _base_type(content_type: str) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def file_headers(response, *, filename: str = "", inline: bool = False):
    """Make ``response``, which carries a file with its Content-Type set, safe to serve (see
    the module's docstring); ``inline`` is honoured for ``INLINE_TYPES`` only. Returns the
    response."""
    shown = inline and _base_type(response.get("Content-Type", "")) in INLINE_TYPES
    response["Content-Disposition"] = (
        content_disposition_header(not shown, filename)
        if filename
        else ("inline" if shown else "attachment")
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_POLICY
    if not response.has_header("Cache-Control"):
        response["Cache-Control"] = "private, no-store"
    return response


def file_response(
    content, *, filename: str, content_type: str = "", inline: bool = False
) -> FileResponse:
    """A file to send: ``content`` is an open binary file (or bytes), ``content_type`` the type
    stored when it was uploaded or made; without one, the type is read from its bytes.
    Downloaded unless ``inline`` and a PDF or raster image."""
    if isinstance(content, bytes | bytearray):
        content = io.BytesIO(content)
    content_type = content_type or stored_type(content)
    shown = inline and _base_type(content_type) in INLINE_TYPES
    response = FileResponse(
        content, as_attachment=not shown, filename=filename, content_type=content_type
    )
    return file_headers(response, filename=filename, inline=shown)
