from __future__ import annotations

from medoffice.interchange.x12.bench import measure


def test_measure_reports_both_rates() -> None:
    rates = measure(50)

    assert set(rates) == {"build_270_per_s", "read_271_per_s"}
    assert all(rate > 0 for rate in rates.values())
