from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "console.bookings"
    label = "bookings"
