from django.conf import settings

from xinshao.core.navigation import destinations_for


def navigation(request):
    user = getattr(request, "user", None)
    destinations = destinations_for(user) if user is not None and user.is_authenticated else []
    return {"nav_destinations": destinations, "hotline_number": settings.HOTLINE_NUMBER}
