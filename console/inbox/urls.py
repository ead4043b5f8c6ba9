from django.urls import path

from console.inbox import views

app_name = "inbox"
urlpatterns = [
    path("", views.inbox, name="list"),
    path("messages/<int:pk>/", views.decide, name="decide"),
    path("corrections.yml", views.download, name="download"),
]
