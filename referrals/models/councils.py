"""Other councils' front doors: where a child found here but living elsewhere is
reported (domain notes, "Out of area"). Administrators keep the list."""

import re

from django.db import models

# A postcode area is its leading letters (LS), a district the whole outward code (LS1).
_OUTWARD = re.compile(r"^([A-Z]{1,2})(\d[A-Z\d]?)$")


def postcode_prefixes(postcode: str) -> list[str]:
    """The district and the area of a normalised postcode, most specific first:
    'LS1 4AP' gives ['LS1', 'LS']; anything else gives []."""
    outward = (postcode or "").upper().split(" ")[0]
    match = _OUTWARD.match(outward)
    return [outward, match.group(1)] if match else []


def covers(areas: list[str], postcode: str) -> bool:
    """Whether a list of postcode districts or areas (['LS', 'BD1']) covers `postcode`."""
    wanted = {a.strip().upper() for a in areas if a.strip()}
    return any(prefix in wanted for prefix in postcode_prefixes(postcode))


class CouncilQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def covering(self, postcode: str) -> list["Council"]:
        """Active councils whose areas include the postcode's district or area, those
        naming its district first. The list is a few dozen councils, read whole (JSON
        lists match the same way on SQLite, the demo's database, and PostgreSQL)."""
        prefixes = postcode_prefixes(postcode)
        if not prefixes:
            return []
        councils = [c for c in self.active() if covers(c.postcode_areas, postcode)]
        return sorted(councils, key=lambda c: prefixes[0] not in c.postcode_areas)


class Council(models.Model):
    """A council's children's services front door. The notice it is sent carries only
    our reference and our phone number (no personal data), so the mailbox need only
    be the one the council publishes for professionals."""

    name = models.CharField(max_length=150, unique=True)
    front_door_email = models.EmailField("Front-door mailbox")
    front_door_phone = models.CharField("Front-door phone", max_length=32, blank=True)
    # Postcode districts (LS1) or areas (LS), upper case, without spaces.
    postcode_areas = models.JSONField(default=list, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CouncilQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def postcode_areas_display(self) -> str:
        return ", ".join(self.postcode_areas)
