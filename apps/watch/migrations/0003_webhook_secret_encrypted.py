# Webhook signing secrets at rest: encrypted like endpoint keys (apps/common/secrets.py).

from django.db import migrations, models


def encrypt_existing_secrets(apps, schema_editor):
    from apps.common.secrets import encrypt_secret

    AlertRule = apps.get_model("watch", "AlertRule")
    for rule in AlertRule.objects.exclude(webhook_secret=""):
        rule.webhook_secret_encrypted = encrypt_secret(rule.webhook_secret)
        rule.save(update_fields=["webhook_secret_encrypted"])


def decrypt_secrets_back(apps, schema_editor):
    from apps.common.secrets import decrypt_secret

    AlertRule = apps.get_model("watch", "AlertRule")
    for rule in AlertRule.objects.exclude(webhook_secret_encrypted=""):
        rule.webhook_secret = decrypt_secret(rule.webhook_secret_encrypted) or ""
        rule.save(update_fields=["webhook_secret"])


class Migration(migrations.Migration):
    dependencies = [
        ("watch", "0002_organization_scoped_vendor_risk"),
    ]

    operations = [
        migrations.AddField(
            model_name="alertrule",
            name="webhook_secret_encrypted",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.RunPython(encrypt_existing_secrets, decrypt_secrets_back),
        migrations.RemoveField(
            model_name="alertrule",
            name="webhook_secret",
        ),
    ]
