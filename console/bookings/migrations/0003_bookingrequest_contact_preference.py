"""The action server's `booking_requests` gained `contact_preference` ("texts only please"): added from
the owner's definition, as 0002 does, so the console can run first after an upgrade."""

from django.db import migrations

from console.common.tracker_tables import add_columns_if_missing, booking_requests_table


class Migration(migrations.Migration):

    dependencies = [
        ('bookings', '0002_bookingrequest_urgent'),
    ]

    operations = [
        migrations.RunPython(add_columns_if_missing(booking_requests_table), migrations.RunPython.noop),
    ]
