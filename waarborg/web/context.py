from django.conf import settings


def controller(request):
    return {"controller": settings.WAARBORG_CONTROLLER}
