from rest_framework.throttling import SimpleRateThrottle


def lift_throttles(monkeypatch) -> None:
    """No DRF rate limit for the rest of the test (DRF reads the rates into a class attribute at import)."""
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", dict.fromkeys(SimpleRateThrottle.THROTTLE_RATES, None))
