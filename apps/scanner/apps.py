from django.apps import AppConfig


class ScannerConfig(AppConfig):
    name = "apps.scanner"
    label = "scanner"
