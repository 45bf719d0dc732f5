"""Complaints in a given state, made through the services (the way the pages make them)."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import translation

from satupintu.accounts.constants import Sex
from satupintu.accounts.models import CitizenProfile
from satupintu.catalog.models import Service
from satupintu.complaints import services
from satupintu.complaints.constants import ComplaintKind
from satupintu.organisations.models import Agency

BIRTH = "dukcapil-surabaya.akta-kelahiran"
NIB_SERVICE = "dpmptsp-surabaya.pendampingan-nib"

# The identity the anonymity tests look for in every page, answer and export.
SECRET = {
    "username": "pelapor.rahasia",
    "first_name": "Kusumawati",
    "last_name": "Anggraeni",
    "email": "kusumawati.anggraeni@contoh.id",
    "phone": "081355577799",
    "nik": "3578054107880002",
}
SECRET_MARKERS = [
    SECRET["username"],
    SECRET["first_name"],
    SECRET["last_name"],
    SECRET["email"],
    SECRET["phone"],
    SECRET["nik"],
]
# What a person without an account leaves.
GUEST = {
    "name": "Bartholomeus Wiryawan",
    "email": "bartho.wiryawan@contoh.id",
    "phone": "08561234987",
}
GUEST_MARKERS = list(GUEST.values())


def make_citizen():
    user = get_user_model().objects.create_user(
        SECRET["username"],
        email=SECRET["email"],
        first_name=SECRET["first_name"],
        last_name=SECRET["last_name"],
        phone=SECRET["phone"],
    )
    CitizenProfile.objects.create(
        user=user,
        nik=SECRET["nik"],
        full_name=f"{SECRET['first_name']} {SECRET['last_name']}",
        birth_date=datetime.date(1988, 7, 1),
        sex=Sex.FEMALE,
        phone=SECRET["phone"],
        email=SECRET["email"],
    )
    return user


def file(actor=None, *, today=None, service=BIRTH, **kwargs):
    """File a complaint about ``service`` (a code, or None) as ``actor`` (None: somebody
    without an account); returns the ``Filed`` result."""
    defaults = {
        "kind": ComplaintKind.COMPLAINT,
        "title": "Akta kelahiran belum terbit",
        "body": "Sudah tiga minggu belum ada kabar.",
    }
    if service and "case" not in kwargs and "agency" not in kwargs:
        defaults["service"] = Service.objects.get(code=service)
    return services.complaint_file(
        actor=actor or AnonymousUser(), today=today, **{**defaults, **kwargs}
    )


def agency(code: str = "dukcapil-surabaya") -> Agency:
    return Agency.objects.get(code=code)


def url(name: str, *args, language: str = "en") -> str:
    with translation.override(language):
        return reverse(f"complaints:{name}", args=args or None)
