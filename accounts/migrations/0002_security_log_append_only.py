"""The security log is append-only in the database itself: an UPDATE of an entry's
content is refused by a trigger on both engines, and on PostgreSQL a DELETE too. (The
actor column may still be set to NULL, which deleting an account does; on SQLite a DELETE
trigger would also stop the test suite from emptying the table between tests.)"""

from django.db import migrations

COLUMNS = "created, kind, actor_name, subject_name, investigation_id, investigation_name, ip_address, detail"

SQLITE = [
    f"""CREATE TRIGGER security_event_no_update BEFORE UPDATE OF {COLUMNS}
    ON accounts_securityevent BEGIN SELECT RAISE(ABORT, 'the security log is append-only'); END""",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS security_event_no_update"]

POSTGRESQL = [
    """CREATE FUNCTION security_event_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'the security log is append-only'; END; $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER security_event_no_update BEFORE UPDATE OF {COLUMNS}
    ON accounts_securityevent FOR EACH ROW EXECUTE FUNCTION security_event_append_only()""",
    """CREATE TRIGGER security_event_no_delete BEFORE DELETE
    ON accounts_securityevent FOR EACH ROW EXECUTE FUNCTION security_event_append_only()""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS security_event_no_delete ON accounts_securityevent",
    "DROP TRIGGER IF EXISTS security_event_no_update ON accounts_securityevent",
    "DROP FUNCTION IF EXISTS security_event_append_only()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
