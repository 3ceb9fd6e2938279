#!/usr/bin/env python3
"""Screenshot of the staff dashboard with demo data, in headless Chromium (docs/dashboard.png).

    apt-get install chromium chromium-driver fonts-noto-cjk   # once (Debian); fonts for 中文
    .venv/bin/python docs/screenshot_dashboard.py [--user staff_doutan] [--out docs/dashboard.png]

It seeds a throwaway SQLite database under a temporary folder, serves the app with runserver on
loopback, logs in through the real admin login form as the given demo account, and saves the
full landing page.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

ROOT = Path(__file__).resolve().parent.parent
PORT = 8799


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # loopback only
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not come up")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--user", default="staff_doutan")
    parser.add_argument("--password", default="demo12345")
    parser.add_argument("--out", default=str(ROOT / "docs" / "dashboard.png"))
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as var:
        env = {**os.environ, "LINLI_VAR_DIR": var}
        for name in ("DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL"):
            env.pop(name, None)
        python = sys.executable
        subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([python, "manage.py", "seed_demo"], cwd=ROOT, env=env, check=True)
        server = subprocess.Popen(
            [python, "manage.py", "runserver", f"127.0.0.1:{PORT}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{PORT}"
            wait_for(f"{base}/healthz")
            options = webdriver.ChromeOptions()
            options.binary_location = "/usr/bin/chromium"
            for flag in (
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1400,1200",
                "--lang=zh-CN",
            ):
                options.add_argument(flag)
            driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
            try:
                driver.get(f"{base}/admin/login/?next=/admin/")
                driver.find_element(By.NAME, "username").send_keys(args.user)
                driver.find_element(By.NAME, "password").send_keys(args.password)
                driver.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
                driver.find_element(By.ID, "dashboard")  # fails loudly if the login or the page broke
                height = driver.execute_script("return document.documentElement.scrollHeight")
                driver.set_window_size(1400, min(max(height, 900), 4000))
                driver.save_screenshot(args.out)
            finally:
                driver.quit()
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"saved {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
