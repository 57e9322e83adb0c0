"""``medoffice bench <workload>``: benchmarks run against a database of their own.

A workload is registered in ``WORKLOADS``; later issues add theirs.
"""

from __future__ import annotations

from medoffice.demo.bench.billing import BillingWorkload
from medoffice.demo.bench.insurance import InsuranceWorkload
from medoffice.demo.bench.workloads import PatientsWorkload, SchedulingWorkload, Workload

WORKLOADS: dict[str, Workload] = {
    "patients": PatientsWorkload(),
    "scheduling": SchedulingWorkload(),
    "insurance": InsuranceWorkload(),
    "billing": BillingWorkload(),
}
