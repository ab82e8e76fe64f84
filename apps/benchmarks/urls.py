from django.urls import path

from apps.benchmarks import views

app_name = "benchmarks"

urlpatterns = [
    path("", views.index, name="index"),
    path("endpoints/new/", views.endpoint_create, name="endpoint_create"),
    path("endpoints/<int:endpoint_id>/", views.endpoint_edit, name="endpoint_edit"),
    path("endpoints/<int:endpoint_id>/delete/", views.endpoint_delete, name="endpoint_delete"),
    path("models/new/", views.candidate_create, name="candidate_create"),
    path("models/<int:candidate_id>/delete/", views.candidate_delete, name="candidate_delete"),
    path("suites/new/", views.suite_create, name="suite_create"),
    path("suites/import/", views.suite_import, name="suite_import"),
    path("suites/<int:suite_id>/", views.suite_detail, name="suite_detail"),
    path("suites/<int:suite_id>/edit/", views.suite_edit, name="suite_edit"),
    path("suites/<int:suite_id>/delete/", views.suite_delete, name="suite_delete"),
    path("suites/<int:suite_id>/export.yaml", views.suite_export, name="suite_export"),
    path("suites/<int:suite_id>/cases/new/", views.case_create, name="case_create"),
    path("suites/<int:suite_id>/cases/<int:case_id>/", views.case_edit, name="case_edit"),
    path("suites/<int:suite_id>/cases/<int:case_id>/delete/", views.case_delete, name="case_delete"),
    path("suites/<int:suite_id>/run/", views.run_start, name="run_start"),
    path("runs/<int:run_id>/", views.run_detail, name="run_detail"),
    path("runs/<int:run_id>/progress/", views.run_progress, name="run_progress"),
    path("runs/<int:run_id>/resume/", views.run_resume, name="run_resume"),
    path("runs/<int:run_id>/stop/", views.run_stop, name="run_stop"),
    path("runs/<int:run_id>/suite/", views.run_attach_suite, name="run_attach_suite"),
]
