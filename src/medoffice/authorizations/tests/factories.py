"""A small specialty office for the referral and authorization tests.

North office (New York time), Dr. Hart (cardiology) and Dr. Okafor (family medicine), two visit
types: "Cardiology new patient" (needs a referral) and "Stress test" (needs prior
authorization). Sunrise Health's HMO requires both; its PPO neither. Jonah Smithers is covered
by the HMO (member SUN123456). A front-desk login. Appointments are written straight to the
table (these tests count what is already booked).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.test import Client
from django.utils import timezone

from medoffice.accounts.choices import Role
from medoffice.accounts.tests.factories import make_user
from medoffice.authorizations import services
from medoffice.authorizations.models import PriorAuthorization, Referral
from medoffice.core.identifiers import make_npi
from medoffice.insurance.choices import PlanType
from medoffice.insurance.models import Coverage, InsurancePlan, Payer
from medoffice.insurance.tests.factories import make_coverage, make_payer, make_plan
from medoffice.patients.tests.factories import make_patient
from medoffice.practice.models import Location, Provider, ReferringProvider
from medoffice.scheduling.models import Appointment, AppointmentType
from medoffice.scheduling.tests import factories as f

ZONE = "America/New_York"
PCP_NPI = make_npi("123456789")  # 1234567893
SPECIALIST_NPI = make_npi("198765432")


@dataclass
class Clinic:
    place: Location
    hart: Provider  # cardiology
    okafor: Provider  # family medicine
    cardio_new: AppointmentType
    stress_test: AppointmentType
    payer: Payer
    hmo: InsurancePlan
    ppo: InsurancePlan
    patient: Any
    coverage: Coverage
    pcp: ReferringProvider
    specialist: ReferringProvider
    desk: Any

    @property
    def today(self) -> dt.date:
        return timezone.localdate()

    def day(self, days: int) -> dt.date:
        return self.today + dt.timedelta(days=days)

    def at(self, days: int = 7, hour: int = 10) -> dt.datetime:
        return f.local(self.place, self.day(days), hour)

    def appointment(
        self,
        days: int = 7,
        hour: int = 10,
        *,
        kind: AppointmentType | None = None,
        provider: Provider | None = None,
        patient: Any = None,
        **extra: Any,
    ) -> Appointment:
        return f.raw_appointment(
            patient or self.patient, provider or self.hart, self.place, kind or self.cardio_new,
            self.at(days, hour), **extra,
        )  # fmt: skip

    def referral(self, **fields: Any) -> Referral:
        values: dict[str, Any] = {
            "acting_user": self.desk,
            "patient": self.patient,
            "direction": "incoming",
            "start_date": self.day(-10),
            "end_date": self.day(80),
            "visits_authorized": 3,
            "number": "R-123",
            "coverage": self.coverage,
            "referring_provider": self.pcp,
            "to_provider": self.hart,
            "specialty": "cardiology",
            "diagnosis_codes": ["R07.9"],
        }
        values.update(fields)
        return services.record_referral(**values)

    def authorization(
        self, *, codes: tuple[str, ...] = ("93015",), **fields: Any
    ) -> PriorAuthorization:
        values: dict[str, Any] = {
            "acting_user": self.desk,
            "patient": self.patient,
            "requesting_provider": self.hart,
            "services": [{"code": code, "units": 1} for code in codes],
            "diagnoses": ["R07.9", "I20.9"],
            "coverage": self.coverage,
            "appointment_type": self.stress_test,
            "effective_from": self.day(-1),
            "effective_to": self.day(60),
        }
        values.update(fields)
        return services.draft_authorization(**values)

    def approved(self, number: str = "AUTH-555", **fields: Any) -> PriorAuthorization:
        draft = self.authorization(**fields)
        services.submit_authorization(draft, acting_user=self.desk, via="fax")
        return services.record_decision(
            draft, acting_user=self.desk, decision="approved", certification_number=number
        )

    def client(self, user: Any = None) -> Client:
        client = Client()
        client.force_login(user or self.desk)
        return client


def make_clinic(
    *, accepts_278: bool = False, username: str = "desk", **payer_fields: Any
) -> Clinic:
    place = f.location(name="North", time_zone=ZONE, phone="(555) 010-3000", fax="(555) 010-3001")
    hart = f.provider_at(place, first_name="Lena", last_name="Hart", specialty="cardiology")
    okafor = f.provider_at(
        place, first_name="Maya", last_name="Okafor", specialty="family_medicine"
    )
    cardio_new = f.appointment_type(40, name="Cardiology new patient", needs_referral=True)
    stress_test = f.appointment_type(60, name="Stress test", needs_prior_authorization=True)
    payer = make_payer(
        "Sunrise Health", "SUNHP", accepts_278=accepts_278, authorization_fax="(555) 020-4000",
        **payer_fields,
    )  # fmt: skip
    hmo = make_plan(payer, "Sunrise HMO", PlanType.HMO, requires_referral=True,
                    requires_prior_authorization=True)  # fmt: skip
    ppo = make_plan(payer, "Sunrise PPO", PlanType.PPO)
    patient = make_patient(first_name="Jonah", last_name="Smithers", birth_date=dt.date(1971, 5, 2))
    a_year_ago = timezone.localdate() - dt.timedelta(days=365)
    coverage = make_coverage(patient, hmo, member_id="SUN123456", effective_date=a_year_ago)
    pcp = ReferringProvider.objects.create(
        first_name="Adaeze", last_name="Okonkwo", credentials="MD", npi=PCP_NPI,
        specialty="Family medicine", fax="(555) 030-1000",
    )  # fmt: skip
    specialist = ReferringProvider.objects.create(
        first_name="Raj", last_name="Patel", credentials="MD", npi=SPECIALIST_NPI,
        specialty="Gastroenterology", organization="Lakeside GI", fax="(555) 040-2000",
        phone="(555) 040-2001",
    )  # fmt: skip
    desk = make_user(username, roles=(Role.FRONT_DESK,))
    return Clinic(place, hart, okafor, cardio_new, stress_test, payer, hmo, ppo, patient,
                  coverage, pcp, specialist, desk)  # fmt: skip
