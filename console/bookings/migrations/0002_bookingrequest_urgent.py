"""The action server's `booking_requests` gained `urgent` (a warning sign was reported in the
conversation). actions/booking_store.py adds it to an existing table when it starts; this adds it
too, from the same definition, so the console can run first after an upgrade."""

from django.db import migrations

from console.common.tracker_tables import add_columns_if_missing, booking_requests_table


class Migration(migrations.Migration):

    dependencies = [
        ('bookings', '0001_initial'),
    ]

    operations = [
        # Unmanaged model: Django's state needs no change, the table does
        migrations.RunPython(add_columns_if_missing(booking_requests_table), migrations.RunPython.noop),
    ]
