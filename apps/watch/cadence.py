"""Release cadence: when did a vendor ship, how often does it usually ship, is it late?

A vendor rarely ships one repository at a time: a Hugging Face release is a wave of sizes and
quantisations uploaded over a day or two, and a GitHub release is often followed by quick patch
releases. Dates closer together than `RELEASE_WAVE_GAP` are therefore one *release*; the cadence
is the median interval between the starts of the last `CADENCE_WINDOW` releases.

A source is *slipping* when the time since its latest release exceeds `SLIP_MULTIPLE` times that
median (never less than `MIN_SLIP_THRESHOLD`, so a vendor that ships every few days is not
"late" after a quiet week). The median, not the mean, so one long summer break does not hide
the next slip. Fewer than `MIN_RELEASES` releases give no cadence and hence never a slip.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

RELEASE_WAVE_GAP = timedelta(days=3)
CADENCE_WINDOW = 6
MIN_RELEASES = 3
SLIP_MULTIPLE = 3.0
MIN_SLIP_THRESHOLD = timedelta(days=14)


@dataclass(frozen=True)
class Cadence:
    release_starts: tuple[datetime, ...]  # first date of each release wave, oldest first
    latest_release: datetime  # the very last date seen, the end of the latest wave
    median_interval: timedelta
    slip_threshold: timedelta

    @property
    def intervals(self) -> list[timedelta]:
        """Intervals between the recent releases, for the cadence chart."""
        recent = self.release_starts[-CADENCE_WINDOW:]
        return [later - earlier for earlier, later in zip(recent, recent[1:], strict=False)]

    def overdue_by(self, at: datetime) -> timedelta:
        """How far past the slip threshold `at` is (negative while still on time)."""
        return (at - self.latest_release) - self.slip_threshold

    def is_slipping(self, at: datetime) -> bool:
        return self.overdue_by(at) > timedelta(0)


def release_waves(dates: Iterable[datetime]) -> list[list[datetime]]:
    """Group release dates into waves: a gap longer than RELEASE_WAVE_GAP starts a new one."""
    waves: list[list[datetime]] = []
    for date in sorted(dates):
        if waves and date - waves[-1][-1] <= RELEASE_WAVE_GAP:
            waves[-1].append(date)
        else:
            waves.append([date])
    return waves


def cadence_of(dates: Iterable[datetime]) -> Cadence | None:
    waves = release_waves(dates)
    if len(waves) < MIN_RELEASES:
        return None
    starts = tuple(wave[0] for wave in waves)
    recent = starts[-CADENCE_WINDOW:]
    typical = median(later - earlier for earlier, later in zip(recent, recent[1:], strict=False))
    return Cadence(
        release_starts=starts,
        latest_release=waves[-1][-1],
        median_interval=typical,
        slip_threshold=max(typical * SLIP_MULTIPLE, MIN_SLIP_THRESHOLD),
    )
