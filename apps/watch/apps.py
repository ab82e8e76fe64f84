from django.apps import AppConfig


class WatchConfig(AppConfig):
    name = "apps.watch"
    label = "watch"
