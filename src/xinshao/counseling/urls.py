from django.urls import path

from . import views

app_name = "counseling"

urlpatterns = [
    path("rooms/", views.rooms, name="rooms"),
    path("rooms/new/", views.room_new, name="room_new"),
    path("rooms/<int:room_id>/", views.room_edit, name="room_edit"),
    path("rooms/<int:room_id>/hours/", views.room_hours, name="room_hours"),
    path("compliance/", views.compliance, name="compliance"),
    path("standard/", views.standard, name="standard"),
    path("slots/", views.slots, name="slots"),
    path("slots/<int:slot_id>/withdraw/", views.slot_withdraw, name="slot_withdraw"),
    path("book/", views.book, name="book"),
    path("book/<int:slot_id>/", views.book_slot, name="book_slot"),
    path("mine/", views.my_bookings, name="my_bookings"),
    path("bookings/<int:booking_id>/", views.booking, name="booking"),
    path("bookings/<int:booking_id>/act/", views.booking_act, name="booking_act"),
]
