from django.urls import path

from medoffice.accounts import views, views_manage

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("mfa/", views.mfa_view, name="mfa"),
    path("mfa/setup/", views.mfa_setup_view, name="mfa_setup"),
    path("timed-out/", views.timed_out_view, name="timed_out"),
    path("keepalive/", views.keepalive_view, name="keepalive"),
    path("security/", views_manage.security_view, name="security"),
    path("tokens/", views_manage.tokens_view, name="tokens"),
    path("tokens/<int:pk>/revoke/", views_manage.token_revoke_view, name="token_revoke"),
    path("users/", views_manage.users_view, name="users"),
    path("users/<int:pk>/deactivate/", views_manage.user_deactivate_view, name="user_deactivate"),
    path("users/<int:pk>/reset-mfa/", views_manage.user_reset_mfa_view, name="user_reset_mfa"),
    path("emergency/", views_manage.emergency_review_view, name="emergency_review"),
]
