from django.urls import path

from console.conversations import views

app_name = "conversations"
urlpatterns = [
    path("", views.conversation_list, name="list"),
    path("<int:pk>/", views.conversation_detail, name="detail"),
    path("<int:pk>/tags/", views.set_tags, name="tags"),
    path("<int:pk>/notes/", views.add_note, name="note"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("messages/<int:pk>/flag/", views.flag_message, name="flag"),
]
