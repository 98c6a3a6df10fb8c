from django.contrib.auth import views as auth_views
from django.urls import path

from xinshao.access.routes import EVERYONE, access_rule
from xinshao.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", access_rule(allow=EVERYONE, public=True)(
        auth_views.LoginView.as_view(template_name="accounts/login.html", redirect_authenticated_user=True)),
        name="login"),
    path("logout/", access_rule(allow=EVERYONE, post_only=True)(auth_views.LogoutView.as_view()), name="logout"),
    path("two-factor/", views.two_factor_check, name="two_factor"),
    path("me/", views.account, name="account"),
    path("sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("break-glass/", views.break_glass_find, name="break_glass_find"),
    path("break-glass/<int:student_id>/", views.break_glass_open, name="break_glass_open"),
]
