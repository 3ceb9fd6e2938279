"""System checks: a real provincial platform URL needs the shared secret that signs every request."""

from django.core.checks import Error, register

from enforcement import conf


@register()
def provincial_secret_configured(app_configs, **kwargs):
    if conf.provincial_url() and not conf.provincial_secret():
        return [
            Error(
                "ENFORCEMENT_PLATFORM_URL is set but ENFORCEMENT_PLATFORM_SECRET is empty",
                hint="Set the shared secret agreed with the provincial platform (requests are HMAC-signed).",
                id="enforcement.E001",
            )
        ]
    return []
