"""The practice: its locations, opening hours, providers and staff."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from medoffice.practice import validators as v
from medoffice.practice.choices import Specialty, Weekday


class Practice(models.Model):
    name = models.CharField(max_length=200)
    legal_name = models.CharField(max_length=200, blank=True)
    tax_id = models.CharField(
        "tax ID (EIN)", max_length=10, blank=True, validators=[v.validate_ein]
    )
    group_npi = models.CharField(
        "group NPI", max_length=10, blank=True, validators=[v.validate_npi]
    )
    phone = models.CharField(max_length=20, blank=True)
    fax = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(group_npi="") | models.Q(group_npi__regex=r"^[0-9]{10}$"),
                name="practice_group_npi_10_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="locations")
    name = models.CharField(max_length=200)
    code = models.SlugField(max_length=30, unique=True)
    address_line1 = models.CharField(max_length=200)
    address_line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=2, validators=[v.validate_state])
    zip_code = models.CharField("ZIP code", max_length=10, validators=[v.validate_zip_code])
    phone = models.CharField(max_length=20, blank=True)
    fax = models.CharField(max_length=20, blank=True)
    time_zone = models.CharField(
        max_length=64, default="America/New_York", validators=[v.validate_time_zone]
    )
    place_of_service = models.CharField(
        max_length=2, default="11", validators=[v.validate_place_of_service]
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__regex=r"^[A-Z]{2}$"), name="location_state_2_letters"
            ),
            models.CheckConstraint(
                condition=models.Q(place_of_service__regex=r"^[0-9]{2}$"),
                name="location_place_of_service_2_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class LocationHours(models.Model):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["location", "weekday", "opens"]
        verbose_name_plural = "location hours"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens__lt=models.F("closes")), name="hours_opens_before_closes"
            ),
            models.CheckConstraint(
                condition=models.Q(weekday__gte=0, weekday__lte=6), name="hours_weekday_0_6"
            ),
            models.UniqueConstraint(
                fields=["location", "weekday", "opens"], name="hours_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"


class Provider(models.Model):
    first_name = models.CharField(max_length=100)
    middle_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100)
    credentials = models.CharField(max_length=30, blank=True, help_text="e.g. MD, DO, NP, PA, DPT")
    specialty = models.CharField(max_length=40, choices=Specialty.choices)
    npi = models.CharField("NPI", max_length=10, unique=True, validators=[v.validate_npi])
    taxonomy_code = models.CharField(
        max_length=10, blank=True, validators=[v.validate_taxonomy_code]
    )
    locations = models.ManyToManyField(Location, related_name="providers", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="provider",
    )
    color = models.CharField(max_length=7, default="#2f6f9f", validators=[v.validate_color])
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(npi__regex=r"^[0-9]{10}$"), name="provider_npi_10_digits"
            ),
            models.CheckConstraint(
                condition=models.Q(color__regex=r"^#[0-9a-fA-F]{6}$"), name="provider_color_hex"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        name = f"{self.first_name} {self.last_name}"
        return f"{name}, {self.credentials}" if self.credentials else name


class Staff(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    job_title = models.CharField(max_length=100, blank=True)
    locations = models.ManyToManyField(Location, related_name="staff", blank=True)
    phone_extension = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        verbose_name_plural = "staff"

    def __str__(self) -> str:
        full = self.user.get_full_name()
        return full or self.user.get_username()


class ReferringProvider(models.Model):
    """A clinician outside the practice who sends patients here (the referral address book)."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    credentials = models.CharField(max_length=30, blank=True)
    npi = models.CharField("NPI", max_length=10, blank=True, validators=[v.validate_npi])
    specialty = models.CharField(max_length=100, blank=True)
    organization = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    fax = models.CharField(max_length=20, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(npi="") | models.Q(npi__regex=r"^[0-9]{10}$"),
                name="referring_provider_npi_10_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        name = f"{self.first_name} {self.last_name}"
        name = f"{name}, {self.credentials}" if self.credentials else name
        return f"{name} ({self.organization})" if self.organization else name
