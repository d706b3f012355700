from django.urls import path

from surveys import views

urlpatterns = [
    path("surveys/follow-up/", views.follow_up_list, name="survey-follow-up"),
    path("surveys/follow-up/<int:pk>/", views.record_follow_up, name="survey-follow-up-record"),
    path("surveys/responses.csv", views.responses_csv, name="survey-responses-csv"),
    path("surveys/<str:token>/", views.survey, name="survey"),
    path("surveys/<str:token>/thanks/", views.thanks, name="survey-thanks"),
]
