"""Active bookings of one venue never overlap: an exclusion constraint, on PostgreSQL only.

It needs the btree_gist extension (for `venue_id WITH =` inside a GiST index). SQLite has no
exclusion constraints; there the booking services' row lock on the venue keeps bookings apart
(SQLite serialises writers anyway). The constraint is not in the model's Meta, so Django's
migration state — and SQLite's table rebuilds — never see it.
"""

from django.db import migrations

CONSTRAINT = "venuebooking_no_overlap"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE events_venuebooking ADD CONSTRAINT {CONSTRAINT} "
        "EXCLUDE USING gist (venue_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) "
        "WHERE (status = 'active')"
    )


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE events_venuebooking DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [migrations.RunPython(add_constraint, drop_constraint, elidable=False)]
