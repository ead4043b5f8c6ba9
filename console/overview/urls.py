from django.urls import path

from console.overview import views

app_name = "overview"
urlpatterns = [
    path("", views.page, name="page"),
    path("charts/<slug:name>.png", views.chart, name="chart"),
]
