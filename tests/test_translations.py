"""Indonesian first, English second (issue: foundation): every interface string has its
Indonesian translation, and the compiled catalogue is the one the .po file describes."""

import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

PO = Path(settings.PACKAGE_DIR) / "locale/id/LC_MESSAGES/django.po"
ENTRY = re.compile(
    r'^msgid "(.*)"\n((?:".*"\n)*)msgstr(?:\[0\])? "(.*)"\n((?:".*"\n)*)', re.MULTILINE
)


def entries():
    for match in ENTRY.finditer(PO.read_text(encoding="utf-8")):
        msgid = match.group(1) + "".join(line[1:-1] for line in match.group(2).splitlines())
        msgstr = match.group(3) + "".join(line[1:-1] for line in match.group(4).splitlines())
        if msgid:
            yield msgid, msgstr


def test_every_interface_string_is_translated():
    untranslated = [msgid for msgid, msgstr in entries() if not msgstr]
    assert untranslated == []
    assert len(list(entries())) > 300


def test_the_compiled_catalogue_is_current():
    # A msgid added to the .po but not compiled would come out untranslated.
    with translation.override("id"):
        for msgid, msgstr in entries():
            if "%" in msgid or "\\" in msgid or "{" in msgid:
                continue
            assert translation.gettext(msgid) != msgid or msgstr == msgid, msgid
