"""Included by helpdesk/urls.py: `path("", include("devices.urls"))`."""

from django.urls import path

from devices import views

app_name = "devices"

urlpatterns = [
    path("assets/", views.asset_list, name="list"),
    path("assets/<int:pk>/", views.asset_detail, name="detail"),
    path("assets/import/", views.asset_import, name="import"),
    path("assets/import/<int:pk>/apply/", views.asset_import_apply, name="import-apply"),
    path("loaners/", views.loaners, name="loaners"),
    path("loaners/<int:pk>/check-in/", views.loan_check_in, name="loan-check-in"),
    path("maintenance/", views.maintenance, name="maintenance"),
    path("maintenance/tasks/<int:pk>/done/", views.task_finish, {"outcome": "done"}, name="task-done"),
    path("maintenance/tasks/<int:pk>/skip/", views.task_finish, {"outcome": "skip"}, name="task-skip"),
]
