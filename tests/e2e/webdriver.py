"""A minimal W3C WebDriver client (Python stdlib only) for Debian's chromium + chromedriver."""

import atexit
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf"


class WebDriverError(AssertionError):
    pass


def _free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Chrome:
    """chromedriver on a free loopback port and one headless chromium session."""

    def __init__(self, chromium="/usr/bin/chromium", chromedriver="/usr/bin/chromedriver",
                 log_dir=None, window=(1280, 900), lang="zh-CN"):
        self.profile = tempfile.mkdtemp(prefix="kesu-e2e-chromium-")
        log = open(os.path.join(log_dir or self.profile, "chromedriver.log"), "ab")
        self.session = None
        atexit.register(self.quit)
        # The free port may be taken between choosing it and chromedriver's bind (other
        # programs on the machine open connections meanwhile): then choose another one.
        for attempt in range(3):
            self.port = _free_port()
            self.url = f"http://127.0.0.1:{self.port}"
            self.proc = subprocess.Popen(
                [chromedriver, f"--port={self.port}", "--allowed-ips=127.0.0.1"],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
            try:
                self._wait_ready()
                break
            except WebDriverError:
                if self.proc.poll() is None or attempt == 2:
                    self.quit()
                    raise
        try:
            caps = {"capabilities": {"alwaysMatch": {
                "browserName": "chrome",
                "pageLoadStrategy": "normal",
                "goog:chromeOptions": {
                    "binary": chromium,
                    "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                             "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                             "--disable-component-update", "--disable-sync", "--disable-quic",
                             "--disable-extensions", "--disable-features=Translate,MediaRouter",
                             "--disable-crash-reporter", "--disable-breakpad",
                             f"--lang={lang}", f"--user-data-dir={self.profile}",
                             f"--window-size={window[0]},{window[1]}"],
                    "prefs": {"intl.accept_languages": lang},
                },
            }}}
            v = self._call("POST", "/session", caps, timeout=60)
            self.session = v["sessionId"]
            self._call("POST", self._s("/timeouts"), {"implicit": 0, "pageLoad": 30000, "script": 10000})
        except Exception:
            self.quit()
            raise

    # -- plumbing
    def _wait_ready(self, timeout=20):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise WebDriverError(f"chromedriver exited with {self.proc.returncode}")
            try:
                with urllib.request.urlopen(self.url + "/status", timeout=2) as r:
                    if json.load(r).get("value", {}).get("ready"):
                        return
            except (OSError, ValueError):
                pass
            time.sleep(0.1)
        raise WebDriverError("chromedriver did not become ready")

    def _s(self, path):
        return f"/session/{self.session}{path}"

    def _call(self, method, path, body=None, timeout=60):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json; charset=utf-8"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return json.load(r).get("value")
        except urllib.error.HTTPError as e:
            try:
                v = json.load(e).get("value", {})
                msg = f"{v.get('error')}: {str(v.get('message', ''))[:500]}"
            except ValueError:
                msg = str(e)
            raise WebDriverError(f"{method} {path}: {msg}") from None

    # -- navigation
    def get(self, url):
        self._call("POST", self._s("/url"), {"url": url})

    @property
    def current_url(self):
        return self._call("GET", self._s("/url"))

    @property
    def title(self):
        return self._call("GET", self._s("/title"))

    @property
    def page_source(self):
        return self._call("GET", self._s("/source"))

    def screenshot(self, path):
        png = base64.b64decode(self._call("GET", self._s("/screenshot")))
        with open(path, "wb") as f:
            f.write(png)
        return path

    def execute(self, script, *args):
        return self._call("POST", self._s("/execute/sync"), {"script": script, "args": list(args)})

    def cdp(self, cmd, params=None):
        """A Chrome DevTools Protocol command through chromedriver (goog/cdp/execute)."""
        return self._call("POST", self._s("/goog/cdp/execute"), {"cmd": cmd, "params": params or {}})

    def phone(self, width=390, height=844):
        """Lay pages out as a phone of width CSS px does (mobile viewport, touch); phone(None) undoes it."""
        if width is None:
            self.cdp("Emulation.clearDeviceMetricsOverride")
            return
        self.cdp("Emulation.setDeviceMetricsOverride",
                 {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True})

    def full_screenshot(self, path):
        """A PNG of the whole page, not only the viewport."""
        png = self.cdp("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(png))
        return path

    def print_pdf(self):
        """The page as Chromium prints it (print media, A4, no headers), as PDF bytes."""
        pdf = self._call("POST", self._s("/print"), {"page": {"width": 21.0, "height": 29.7},
                                                     "background": False}, timeout=90)
        return base64.b64decode(pdf)

    # -- elements
    def find(self, selector, using="css selector"):
        v = self._call("POST", self._s("/element"), {"using": using, "value": selector})
        return Element(self, v[ELEMENT_KEY])

    def find_all(self, selector, using="css selector"):
        vs = self._call("POST", self._s("/elements"), {"using": using, "value": selector})
        return [Element(self, v[ELEMENT_KEY]) for v in vs]

    def wait_for(self, selector, timeout=10, using="css selector"):
        end = time.monotonic() + timeout
        while True:
            found = self.find_all(selector, using)
            if found:
                return found[0]
            if time.monotonic() > end:
                raise WebDriverError(f"no element {selector!r} within {timeout}s on {self.current_url}")
            time.sleep(0.1)

    def wait_url(self, pred, timeout=10):
        end = time.monotonic() + timeout
        while True:
            u = self.current_url
            if pred(u):
                return u
            if time.monotonic() > end:
                raise WebDriverError(f"still at {u} after {timeout}s")
            time.sleep(0.1)

    def delete_cookies(self):
        self._call("DELETE", self._s("/cookie"))

    def accept_alert(self, timeout=5):
        """Accept a confirm() dialog; returns its text."""
        end = time.monotonic() + timeout
        while True:
            try:
                text = self._call("GET", self._s("/alert/text"))
                self._call("POST", self._s("/alert/accept"), {})
                return text
            except WebDriverError:
                if time.monotonic() > end:
                    raise
                time.sleep(0.1)

    def browser_log(self):
        """Console messages, where chromedriver offers them (the legacy log endpoint)."""
        try:
            return self._call("POST", self._s("/se/log"), {"type": "browser"}) or []
        except WebDriverError:
            return None

    def quit(self):
        try:
            if self.session:
                self._call("DELETE", self._s(""), timeout=20)
        except Exception:  # noqa: BLE001
            pass
        self.session = None
        # chromedriver leads its own process group; chromium and its helpers are in it
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.proc.pid, sig)
            except (ProcessLookupError, PermissionError):
                break
            try:
                self.proc.wait(5)
                time.sleep(0.3)
            except subprocess.TimeoutExpired:
                continue
        shutil.rmtree(self.profile, ignore_errors=True)


class Element:
    def __init__(self, drv, eid):
        self.drv, self.id = drv, eid

    def _p(self, path):
        return self.drv._s(f"/element/{self.id}{path}")

    def click(self):
        self.drv._call("POST", self._p("/click"), {})

    def clear(self):
        self.drv._call("POST", self._p("/clear"), {})

    def send_keys(self, text):
        self.drv._call("POST", self._p("/value"), {"text": text})

    @property
    def text(self):
        return self.drv._call("GET", self._p("/text"))

    @property
    def tag(self):
        return self.drv._call("GET", self._p("/name"))

    def attr(self, name):
        return self.drv._call("GET", self._p(f"/attribute/{name}"))

    def prop(self, name):
        return self.drv._call("GET", self._p(f"/property/{name}"))

    def find(self, selector, using="css selector"):
        v = self.drv._call("POST", self._p("/element"), {"using": using, "value": selector})
        return Element(self.drv, v[ELEMENT_KEY])

    def as_arg(self):
        return {ELEMENT_KEY: self.id}
