from django.db import models

from apps.accounts.models import Organization


class DailySnapshot(models.Model):
    """An organization's exposure and spend on one day, so trends show how things moved.

    Recorded by the daily refresh (apps/exposure/history.py) after every score is recomputed, and again
    whenever `exposure --refresh` runs; a second recording on the same day replaces the first.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="daily_snapshots")
    day = models.DateField()
    workflows = models.PositiveIntegerField(default=0)
    mean_score = models.FloatField(null=True, blank=True)
    high = models.PositiveIntegerField(default=0)
    medium = models.PositiveIntegerField(default=0)
    low = models.PositiveIntegerField(default=0)
    spend_high = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    spend_medium = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    spend_low = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    open_usd = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    proprietary_usd = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    unclassified_usd = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["organization", "day"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "day"], name="daily_snapshot_unique_day")
        ]

    def __str__(self) -> str:
        return f"{self.organization} on {self.day}"

    @property
    def monthly_usd(self):
        return self.open_usd + self.proprietary_usd + self.unclassified_usd
