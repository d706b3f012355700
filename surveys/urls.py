from django.urls import path

from surveys import views
from surveys.dashboard import views as dashboard

urlpatterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/export.csv", dashboard.export_csv, name="dashboard-export"),
    path("dashboard/goals/", dashboard.goals, name="dashboard-goals"),
    path("dashboard/goals/<int:pk>/", dashboard.goals, name="dashboard-goal-edit"),
    path("surveys/follow-up/", views.follow_up_list, name="survey-follow-up"),
    path("surveys/follow-up/<int:pk>/", views.record_follow_up, name="survey-follow-up-record"),
    path("surveys/responses.csv", views.responses_csv, name="survey-responses-csv"),
    path("surveys/<str:token>/", views.survey, name="survey"),
    path("surveys/<str:token>/thanks/", views.thanks, name="survey-thanks"),
    path("surveys/<str:token>/opened/", views.landed, name="survey-landed"),
]
