"""Checking an uploaded file by what it is, not by what it is called.

A file is refused when it is empty, larger than the limit (counted while reading, whatever
size the browser declared), of a type the caller does not accept (read from its bytes with
``puremagic``; the name and the declared content type are ignored), or a PDF without its
end marker (a file cut short by a dropped connection). Callers turn the refusal's ``code``
into a message that fits their form.
"""

import puremagic

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
