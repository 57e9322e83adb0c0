"""Insurance models by aggregate: payers and plans, coverages, eligibility checks, estimates."""

from medoffice.insurance.models.coverages import Coverage, CoverageCard
from medoffice.insurance.models.eligibility import ControlNumber, EligibilityBatch, EligibilityCheck
from medoffice.insurance.models.estimates import AllowedAmount, GoodFaithEstimate, PlannedService
from medoffice.insurance.models.payers import Clearinghouse, InsurancePlan, Payer

__all__ = [
    "AllowedAmount",
    "Clearinghouse",
    "ControlNumber",
    "Coverage",
    "CoverageCard",
    "EligibilityBatch",
    "EligibilityCheck",
    "GoodFaithEstimate",
    "InsurancePlan",
    "Payer",
    "PlannedService",
]
