from django.http import HttpResponse


def home(request):
    return HttpResponse("Satupintu")


service_list = service_detail = life_event_detail = agency_list = agency_detail = home
