from django.urls import path

from apps.jobs import api

app_name = "api"

# The ingest API: organization API tokens, no session; described by openapi.json.
urlpatterns = [
    path("ingest/<str:kind>", api.ingest, name="ingest"),
    path("jobs/<int:job_id>", api.job_status, name="job_status"),
    path("openapi.json", api.openapi, name="openapi"),
]
