#!/usr/bin/env python3
# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The README's screenshots, taken from a running demo database (`make run`).

Drives a headless Chromium through the DevTools protocol (package websocket-client),
logs in as each demo user through /web/login, opens each screen, waits for it to
settle and saves a PNG (1440x900, the portal on a phone at 390x844):

    make run &                                   # demo database on :8069
    python3 scripts/screenshots.py --url http://127.0.0.1:8069 --out docs/screenshots

    python3 scripts/screenshots.py --only intake,porteur   # some of them

The screen pop and the missed calls need the phone system's webhook: with
--setup-telephony the script (as admin) gives the demo agent the extension 201 when
they have none, creates the phone system "Standard (captures)" and generates its
token, then posts a `ringing` then a `hangup` event for a demo porteur's number.
Use it on a demo database only: it changes that system's token.
"""

import argparse
import base64
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket  # websocket-client

DESKTOP = (1440, 900)
PHONE = (390, 844)
SETTLE = 1.5  # seconds after the page looks idle: animations, lazy images
NEW_CALLER = "03 21 00 00 42"  # the missed calls' unknown number

LOGINS = {
    "admin": ("admin", "admin"),
    "agent": ("agent", "agent"),
    "manager": ("manager", "manager"),
    "adviser": ("conseiller.cma.arras@example.com", "demo"),
}

#: the shots, in the order taken (the phone ones need the agent's page open)
SHOTS = (
    "intake",
    "porteur",
    "porteurs",
    "referral_wizard",
    "callbacks",
    "screen_pop",
    "missed_calls",
    "dashboard",
    "calls_analysis",
    "sirene",
    "portal_referrals",
    "portal_phone",
    "callback_form",
)


class Browser:
    """A headless Chromium and one page, spoken to over the DevTools protocol."""

    def __init__(self, chromium):
        self.profile = tempfile.mkdtemp(prefix="jecree-shots-")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        # Chromium refuses to run as root with its sandbox (containers, CI)
        sandbox = ["--no-sandbox"] if os.geteuid() == 0 else []
        self.process = subprocess.Popen(
            [
                chromium,
                *sandbox,
                "--headless=new",
                f"--remote-debugging-port={port}",
                f"--window-size={DESKTOP[0]},{DESKTOP[1]}",
                f"--user-data-dir={self.profile}",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-gpu",
                "--hide-scrollbars",
                "--lang=fr-FR",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.time() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as r:
                    pages = [t for t in json.load(r) if t["type"] == "page"]
                if pages:
                    break
            except OSError:
                pass
            if time.time() > deadline:
                raise SystemExit("Chromium did not start")
            time.sleep(0.2)
        self.ws = websocket.create_connection(
            pages[0]["webSocketDebuggerUrl"], timeout=60, suppress_origin=True
        )
        self.next_id = 0
        self.send("Page.enable")
        self.send("Runtime.enable")
        self.viewport(*DESKTOP)

    def send(self, method, **params):
        self.next_id += 1
        self.ws.send(
            json.dumps({"id": self.next_id, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def js(self, expression):
        """The value of a JavaScript expression (awaited when it is a promise)."""
        result = self.send(
            "Runtime.evaluate",
            expression=expression,
            awaitPromise=True,
            returnByValue=True,
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression[:60]}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def viewport(self, width, height, mobile=False):
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=mobile,
        )

    def goto(self, url):
        self.send("Page.navigate", url=url)
        time.sleep(0.5)
        self.settle()

    def settle(self, timeout=30):
        """Wait until the document is loaded and Odoo shows no loading indicator."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                idle = self.js(
                    "document.readyState === 'complete'"
                    " && !document.querySelector('.o_loading_indicator')"
                    " && !document.querySelector('.o_blockUI')"
                )
            except (RuntimeError, websocket.WebSocketException):
                idle = False  # the page is being replaced
            if idle:
                break
            time.sleep(0.25)
        time.sleep(SETTLE)

    def wait_for(self, selector, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.js(f"!!document.querySelector({json.dumps(selector)})"):
                return True
            time.sleep(0.25)
        return False

    def click(self, selector):
        if not self.wait_for(selector):
            raise RuntimeError(f"not found: {selector}")
        self.js(f"document.querySelector({json.dumps(selector)}).click()")
        time.sleep(0.3)
        self.settle()

    def type(self, selector, text):
        """Type text into a field as a user would (keyboard events), then leave it."""
        if not self.wait_for(selector):
            raise RuntimeError(f"not found: {selector}")
        self.js(f"document.querySelector({json.dumps(selector)}).focus()")
        self.send("Input.insertText", text=text)
        for kind in ("keyDown", "keyUp"):
            self.send(
                "Input.dispatchKeyEvent",
                type=kind,
                key="Tab",
                code="Tab",
                windowsVirtualKeyCode=9,
            )
        self.settle()

    def screenshot(self, path):
        data = self.send("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as stream:
            stream.write(base64.b64decode(data))

    def close(self):
        try:
            self.ws.close()
        finally:
            self.process.terminate()
            self.process.wait(10)
            shutil.rmtree(self.profile, ignore_errors=True)


class Shots:
    def __init__(self, browser, url, out):
        self.browser = browser
        self.url = url.rstrip("/")
        self.out = out
        self.user = None
        self.pbx = None  # (token, extension) once the phone system is set up
        self.call_id = None

    # ------------------------------------------------------------------ helpers
    def login(self, role):
        if self.user == role:
            return
        b = self.browser
        b.send("Network.clearBrowserCookies")
        self.user = None
        if role is None:
            return
        login, password = LOGINS[role]
        b.goto(f"{self.url}/web/login")
        b.js(
            f"""(() => {{
                const form = document.querySelector('form.oe_login_form');
                const field = (name) => form.querySelector(`input[name=${{name}}]`);
                field('login').value = {json.dumps(login)};
                field('password').value = {json.dumps(password)};
                form.submit();
            }})()"""
        )
        time.sleep(1)
        b.settle()
        if "/web/login" in b.js("location.pathname"):
            raise SystemExit(f"login failed for {login}")
        self.user = role

    def rpc(self, model, method, *args, **kwargs):
        """A JSON-RPC call as the logged-in user (the page's session)."""
        params = {
            "model": model,
            "method": method,
            "args": list(args),
            "kwargs": kwargs,
        }
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params})
        answer = self.browser.js(
            f"""fetch('/web/dataset/call_kw/{model}/{method}', {{
                method: 'POST', headers: {{'Content-Type': 'application/json'}},
                body: {json.dumps(body)}}}).then((r) => r.json())"""
        )
        if "error" in answer:
            raise RuntimeError(answer["error"]["data"]["message"])
        return answer["result"]

    def action(self, xmlid, suffix=""):
        self.browser.goto(f"{self.url}/odoo/action-{xmlid}{suffix}")

    def save(self, name):
        path = os.path.join(self.out, f"{name}.png")
        self.browser.screenshot(path)
        print(f"{path}: {os.path.getsize(path) // 1024} KB")

    def porteur(self):
        """A demo porteur with a referral and a phone (the richest form)."""
        referrals = self.rpc(
            "jecree.referral", "search_read", [], ["lead_id"], limit=1, order="id"
        )
        domain = [("is_porteur", "=", True), ("phone", "!=", False)]
        if referrals:
            domain.append(("id", "=", referrals[0]["lead_id"][0]))
        return self.rpc("crm.lead", "search_read", domain, ["phone"], limit=1)[0]

    # ------------------------------------------------------------------ shots
    def shot_intake(self):
        self.login("agent")
        phone = self.porteur()["phone"]
        self.action("jecree_project.jecree_call_intake_action")
        self.browser.type("div[name=phone] input", phone)
        self.browser.wait_for("div[name=returning_banner]", timeout=5)
        self.browser.settle()
        self.save("intake")

    def shot_porteur(self):
        self.login("agent")
        lead = self.porteur()
        self.action("jecree_project.crm_lead_action_porteur", f"/{lead['id']}")
        self.save("porteur")

    def shot_porteurs(self):
        self.login("agent")
        self.action("jecree_project.crm_lead_action_porteur", "?view_type=kanban")
        self.save("porteurs")

    def shot_referral_wizard(self):
        self.login("agent")
        # a named porteur not referred yet: the structures ranked, then the slots
        leads = self.rpc(
            "crm.lead",
            "search_read",
            [
                ("is_porteur", "=", True),
                ("jecree_referral_ids", "=", False),
                ("contact_name", "!=", False),
                ("commune_id", "!=", False),
            ],
            ["id"],
            limit=1,
        ) or [self.porteur()]
        self.action("jecree_project.crm_lead_action_porteur", f"/{leads[0]['id']}")
        b = self.browser
        b.click("button[name=action_jecree_refer]")
        b.wait_for(".modal .o_data_row")
        b.settle()
        b.click(".modal .o_data_row .o_field_boolean_toggle input")
        b.click(".modal footer button[name=action_refer]")
        b.wait_for(".modal div[name=slot_ids]")
        b.settle()
        self.save("referral_wizard")

    def shot_callbacks(self):
        self.login("agent")
        self.action("jecree_followup.mail_activity_callback_action")
        self.save("callbacks")

    def setup_telephony(self):
        if self.pbx:
            return self.pbx
        self.login("admin")
        agent = self.rpc(
            "res.users",
            "search_read",
            [("login", "=", LOGINS["agent"][0])],
            ["jecree_phone_extension"],
        )[0]
        extension = agent["jecree_phone_extension"]
        if not extension:
            extension = "201"
            self.rpc(
                "res.users",
                "write",
                [agent["id"]],
                {"jecree_phone_extension": extension},
            )
        name = "Standard (captures)"
        system = self.rpc("jecree.telephony.system", "search", [("name", "=", name)])
        if not system:
            system = [self.rpc("jecree.telephony.system", "create", {"name": name})]
        action = self.rpc(
            "jecree.telephony.system", "action_jecree_rotate_token", system
        )
        token = action["params"]["message"].split()[-1]
        self.pbx = (token, extension)
        return self.pbx

    def event(self, **values):
        token = self.pbx[0]
        request = urllib.request.Request(
            f"{self.url}/jecree/telephony/event",
            data=json.dumps(values).encode(),
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
            },
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = json.load(response)
        print(f"  {values['event']}: {answer}")

    def shot_screen_pop(self):
        __, extension = self.setup_telephony()
        self.login("agent")
        phone = self.porteur()["phone"]
        self.action("jecree_project.crm_lead_action_porteur", "?view_type=kanban")
        time.sleep(2)  # the bus connects
        self.call_id = f"captures-{int(time.time())}"
        self.event(
            event="ringing",
            call_id=self.call_id,
            extension=extension,
            **{"from": phone},
        )
        self.browser.wait_for(".o_jecree_incoming_call")
        time.sleep(SETTLE)
        self.save("screen_pop")

    def shot_missed_calls(self):
        if self.pbx and self.call_id:  # the screen pop's call rings out: missed
            self.event(event="hangup", call_id=self.call_id)
            # a new caller who tried twice: one missed call, two attempts
            for attempt in (1, 2):
                call_id = f"{self.call_id}-{attempt}"
                self.event(event="ringing", call_id=call_id, **{"from": NEW_CALLER})
                self.event(event="hangup", call_id=call_id)
        self.login("agent")
        self.action("jecree_project.jecree_missed_call_action")
        self.save("missed_calls")

    def shot_dashboard(self):
        self.login("manager")
        self.browser.goto(f"{self.url}/odoo")
        self.save("dashboard")

    def shot_calls_analysis(self):
        self.login("manager")
        self.action("jecree_followup.jecree_call_report_action")
        self.save("calls_analysis")

    def shot_sirene(self):
        self.login("manager")
        self.action("jecree_followup.jecree_sirene_match_action")
        self.save("sirene")

    def shot_portal_referrals(self):
        self.login("adviser")
        self.browser.goto(f"{self.url}/my/referrals")
        self.save("portal_referrals")

    def shot_portal_phone(self):
        self.login("adviser")
        self.browser.viewport(*PHONE, mobile=True)
        try:
            self.browser.goto(f"{self.url}/my/referrals")
            self.save("portal_phone")
        finally:
            self.browser.viewport(*DESKTOP)

    def shot_callback_form(self):
        self.login(None)
        self.browser.goto(f"{self.url}/jecree/rappel")
        self.save("callback_form")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069", help="the server")
    parser.add_argument("--out", default="docs/screenshots", help="the folder of PNGs")
    parser.add_argument(
        "--only", help="comma-separated shots, among: " + ", ".join(SHOTS)
    )
    parser.add_argument(
        "--setup-telephony",
        action="store_true",
        help="demo database only: a phone system for screen_pop and missed_calls",
    )
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    args = parser.parse_args()
    names = args.only.split(",") if args.only else list(SHOTS)
    unknown = set(names) - set(SHOTS)
    if unknown:
        parser.error(f"unknown shots: {', '.join(sorted(unknown))}")
    if not args.setup_telephony and "screen_pop" in names:
        names.remove("screen_pop")
        print("screen_pop skipped: it needs --setup-telephony", file=sys.stderr)
    os.makedirs(args.out, exist_ok=True)
    browser = Browser(args.chromium)
    shots = Shots(browser, args.url, args.out)
    failed = []
    try:
        for name in names:
            try:
                getattr(shots, f"shot_{name}")()
            except (RuntimeError, OSError) as error:
                failed.append(name)
                message = re.sub(r"\s+", " ", str(error))[:300]
                print(f"{name}: {message}", file=sys.stderr)
    finally:
        browser.close()
    if failed:
        raise SystemExit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
