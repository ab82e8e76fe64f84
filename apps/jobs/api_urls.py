from django.urls import path

app_name = "api"

# The ingest API (token-authenticated) is added by the job pipeline.
urlpatterns: list = []
