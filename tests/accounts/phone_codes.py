"""Reading the codes the sandbox "sends" for a phone change: the console SMS backend sends nothing,
and linli.accounts logs the code for testers (docs/demo.md)."""

import re

CODE_URL, CHANGE_URL = "/api/v1/me/phone/code/", "/api/v1/me/phone/"
_LOGGED = re.compile(r"sandbox phone code for user \d+, [\d*]+: (\d{6})")


def ask_code(client, phone: str, caplog, *, expect: int = 200) -> str | None:
    """Ask for a code to `phone`; the code the sandbox logged, if any."""
    caplog.clear()
    with caplog.at_level("INFO", logger="linli.accounts.services"):
        response = client.post(CODE_URL, {"phone": phone}, format="json")
    assert response.status_code == expect, response.json()
    codes = _LOGGED.findall(caplog.text)
    return codes[-1] if codes else None


def other_code(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"
