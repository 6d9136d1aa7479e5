import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Investigation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated", models.DateTimeField(auto_now=True, verbose_name="last changed")),
                ("name", models.CharField(error_messages={"blank": "An investigation needs a name."}, max_length=200, verbose_name="name")),
                (
                    "slug",
                    models.SlugField(
                        error_messages={"unique": "Another investigation has this short name."},
                        help_text="Used in commands and the API, e.g. ukraine-2014.",
                        max_length=60,
                        unique=True,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^[a-z0-9]+(?:-[a-z0-9]+)*$",
                                "Use lower-case letters, digits and single hyphens, e.g. ukraine-2014.",
                                code="slug",
                            )
                        ],
                        verbose_name="short name",
                    ),
                ),
                ("description", models.TextField(blank=True, verbose_name="description")),
                ("status", models.CharField(choices=[("active", "Active"), ("archived", "Archived (read-only)")], default="active", max_length=10, verbose_name="status")),
                ("created_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="created by")),
            ],
            options={
                "verbose_name": "investigation",
                "verbose_name_plural": "investigations",
                "ordering": ["name"],
                "constraints": [models.CheckConstraint(condition=models.Q(("name", ""), _negated=True), name="investigation_name_not_blank", violation_error_message="An investigation needs a name.")],
            },
        ),
        migrations.CreateModel(
            name="Membership",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated", models.DateTimeField(auto_now=True, verbose_name="last changed")),
                ("role", models.CharField(choices=[("viewer", "Viewer"), ("researcher", "Researcher"), ("reviewer", "Reviewer"), ("lead", "Lead")], max_length=12, verbose_name="role")),
                ("investigation", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="memberships", to="investigations.investigation", verbose_name="investigation")),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="memberships", to=settings.AUTH_USER_MODEL, verbose_name="user")),
            ],
            options={
                "verbose_name": "membership",
                "verbose_name_plural": "memberships",
                "ordering": ["investigation", "user__username"],
                "constraints": [models.UniqueConstraint(fields=("investigation", "user"), name="membership_one_per_user", violation_error_message="This person is already a member.")],
            },
        ),
    ]
