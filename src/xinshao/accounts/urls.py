from django.contrib.auth import views as auth_views
from django.urls import path

from xinshao.access.routes import EVERYONE, access_rule

app_name = "accounts"
urlpatterns = [
    path("login/", access_rule(allow=EVERYONE, public=True)(
        auth_views.LoginView.as_view(template_name="accounts/login.html", redirect_authenticated_user=True)),
        name="login"),
    path("logout/", access_rule(allow=EVERYONE, post_only=True)(auth_views.LogoutView.as_view()), name="logout"),
]
