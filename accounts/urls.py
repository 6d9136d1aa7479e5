from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("security/", views.security, name="security"),
    path("language/", views.language_set, name="language"),
    path("two-factor/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/qr.svg", views.two_factor_qr, name="two_factor_qr"),
    path("two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/backup-codes/", views.backup_codes_make, name="backup_codes_make"),
    path("two-factor/remove/", views.two_factor_remove, name="two_factor_remove"),
    path("sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("password/", views.PasswordChange.as_view(), name="password_change"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password/reset/done/", views.password_reset_complete, name="password_reset_complete"),
    path("staff/lockouts/", views.lockouts, name="lockouts"),
    path("staff/lockouts/lift/", views.lockout_lift, name="lockout_lift"),
    path("staff/users/<int:pk>/", views.user_security, name="user_security"),
]
