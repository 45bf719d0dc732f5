from ninja import Router, Schema

from satupintu.organisations import selectors

router = Router(tags=["agencies"])


class AgencyOut(Schema):
    code: str
    name: str
    short_name: str
    level: str
    website: str
    phone: str
    address: str
    service_count: int


class AgencyList(Schema):
    items: list[AgencyOut]
    next: str | None


@router.get("/agencies", response=AgencyList, summary="List agencies")
def list_agencies(request):
    """Every agency that offers services, with the number of services it offers."""
    items = [
        AgencyOut(
            code=a.code,
            name=a.name,
            short_name=a.short_name,
            level=a.level,
            website=a.website,
            phone=a.phone,
            address=a.address,
            service_count=a.service_count,
        )
        for a in selectors.agency_list()
    ]
    return {"items": items, "next": None}
