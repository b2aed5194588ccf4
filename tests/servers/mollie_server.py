#!/usr/bin/python3
"""
A local server that speaks the part of Mollie's API v2 a payment plugin
uses, as Mollie documents it. Mollie's webhook carries only the payment id
(form field id=tr_…) and no signature: the plugin must fetch the payment
to learn its status, so a forged call cannot mark an order paid.

API (Authorization: Bearer <api key>, JSON bodies):
  POST /v2/payments                   create (amount {currency, value "10.00"},
                                      description, redirectUrl, webhookUrl,
                                      method, metadata)
  GET  /v2/payments/{id}              retrieve (status open|pending|paid|
                                      failed|canceled|expired)
  POST /v2/payments/{id}/refunds      refund (amount optional: all that is left)
Test controls (JSON answers):
  POST /_test/payments/{id}/status?to=paid|failed|canceled|expired|open
        sets the status, then calls the payment's webhookUrl with id=… .
        Query host= sets the Host header of that call; notify=0 skips it.
  POST /_test/payments/{id}/notify    calls the webhook again (status unchanged)
  GET  /_test/requests                the API requests received
  GET  /_test/deliveries              the webhook calls made and their status
Usage: mollie_server.py --port N --api-key test_… [--host H]
       [--deliver-to http://127.0.0.1:P]  (webhooks go there, with the
                                           webhook URL's host name as Host)
"""
import argparse
import json
import re
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
payments, requests_seen, deliveries = {}, [], []
args = None
AMOUNT = re.compile(r"^\d+\.\d{2}$")
METHODS = {"ideal", "bancontact", "creditcard", "banktransfer", None}


def now():
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())


def error(status, detail, field=None):
    titles = {400: "Bad Request", 401: "Unauthorized Request", 404: "Not Found",
              422: "Unprocessable Entity"}
    e = {"status": status, "title": titles.get(status, "Error"), "detail": detail,
         "_links": {"documentation": {"href": "https://docs.mollie.com/overview/handling-errors",
                                      "type": "text/html"}}}
    if field:
        e["field"] = field
    return status, e


def cents(value):
    a, b = value.split(".")
    return int(a) * 100 + int(b)


def money(c, currency):
    return {"currency": currency, "value": f"{c // 100}.{c % 100:02d}"}


def check_amount(a, field="amount"):
    if not isinstance(a, dict) or not isinstance(a.get("value"), str) or not AMOUNT.match(a["value"]) \
            or not isinstance(a.get("currency"), str) or len(a["currency"]) != 3:
        return error(422, "The amount is invalid", field)
    return None


def self_links(p):
    base = f"http://127.0.0.1:{args.port}"
    links = {"self": {"href": f"{base}/v2/payments/{p['id']}", "type": "application/hal+json"}}
    if p["status"] == "open":
        links["checkout"] = {"href": f"{base}/checkout/select-issuer/{p['id']}", "type": "text/html"}
    return links


def view(p):
    out = {k: v for k, v in p.items() if not k.startswith("_")}
    out["_links"] = self_links(p)
    return out


def create_payment(b):
    bad = check_amount(b.get("amount"))
    if bad:
        return bad
    if not b.get("description"):
        return error(422, "The description is invalid", "description")
    if not b.get("redirectUrl"):
        return error(422, "The redirect URL is invalid", "redirectUrl")
    if b.get("method") not in METHODS:
        return error(422, "The payment method is invalid", "method")
    if cents(b["amount"]["value"]) <= 0:
        return error(422, "The amount is lower than minimum", "amount")
    pid = "tr_" + secrets.token_urlsafe(8).replace("-", "x").replace("_", "y")
    p = {"resource": "payment", "id": pid, "mode": "test", "createdAt": now(), "status": "open",
         "isCancelable": False, "amount": b["amount"], "description": b["description"],
         "method": b.get("method"), "metadata": b.get("metadata"), "profileId": "pfl_test",
         "sequenceType": "oneoff", "redirectUrl": b["redirectUrl"], "webhookUrl": b.get("webhookUrl"),
         "expiresAt": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(time.time() + 900)),
         "amountRefunded": money(0, b["amount"]["currency"]),
         "amountRemaining": b["amount"], "_refunds": []}
    payments[pid] = p
    return 201, view(p)


def refund(p, b):
    if p["status"] != "paid":
        return error(422, "The payment is not refundable", "amount")
    cur = p["amount"]["currency"]
    left = cents(p["amount"]["value"]) - cents(p["amountRefunded"]["value"])
    if "amount" in b:
        bad = check_amount(b["amount"])
        if bad:
            return bad
        c = cents(b["amount"]["value"])
    else:
        c = left
    if c <= 0 or c > left:
        return error(422, "The refund amount exceeds the amount available for refunding", "amount")
    p["amountRefunded"] = money(cents(p["amountRefunded"]["value"]) + c, cur)
    p["amountRemaining"] = money(left - c, cur)
    r = {"resource": "refund", "id": "re_" + secrets.token_hex(5), "amount": money(c, cur),
         "status": "pending", "createdAt": now(), "description": b.get("description", ""),
         "metadata": b.get("metadata"), "paymentId": p["id"]}
    p["_refunds"].append(r)
    return 201, r


def notify(p, q):
    url = p.get("webhookUrl")
    if not url:
        return None
    host = q.get("host", [args.host])[0]
    if args.deliver_to:
        # As DNS would: the webhook URL's host name resolves to the local
        # nginx; the call keeps its path and carries the host name.
        u = urllib.parse.urlsplit(url)
        host = host or u.hostname
        url = args.deliver_to.rstrip("/") + u.path + ("?" + u.query if u.query else "")
    req = urllib.request.Request(url, data=urllib.parse.urlencode({"id": p["id"]}).encode(), method="POST",
                                 headers={"Content-Type": "application/x-www-form-urlencoded",
                                          "User-Agent": "Mollie HTTP Client/1.0"})
    if host:
        req.add_header("Host", host)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            status = r.status
    except urllib.error.HTTPError as e:
        status = e.code
    except OSError:
        status = 0
    with lock:
        deliveries.append({"payment": p["id"], "status_then": p["status"], "webhook_status": status})
    return status


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *a):
        pass

    def answer(self, status, obj):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/hal+json" if status < 400 else "application/hal+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def api(self, method, path, raw):
        with lock:
            requests_seen.append({"method": method, "path": path, "body": raw.decode(errors="replace")})
        if self.headers.get("Authorization") != "Bearer " + args.api_key:
            return error(401, "Missing authentication, or failed to authenticate")
        try:
            b = json.loads(raw) if raw else {}
        except ValueError:
            return error(400, "The JSON body could not be parsed")
        if not isinstance(b, dict):
            return error(400, "The JSON body could not be parsed")
        parts = path.strip("/").split("/")
        with lock:
            if method == "POST" and parts == ["v2", "payments"]:
                return create_payment(b)
            p = payments.get(parts[2]) if len(parts) >= 3 and parts[:2] == ["v2", "payments"] else None
            if len(parts) >= 3 and not p:
                return error(404, "No payment exists with token " + parts[2] + ".")
            if method == "GET" and len(parts) == 3:
                return 200, view(p)
            if method == "POST" and len(parts) == 4 and parts[3] == "refunds":
                return refund(p, b)
        return error(404, "The resource could not be found")

    def control(self, method, path, q):
        parts = path.strip("/").split("/")
        if method == "GET" and parts == ["_test", "requests"]:
            with lock:
                return 200, list(requests_seen)
        if method == "GET" and parts == ["_test", "deliveries"]:
            with lock:
                return 200, list(deliveries)
        if method == "POST" and len(parts) == 4 and parts[1] == "payments":
            with lock:
                p = payments.get(parts[2])
                if not p:
                    return 404, {"error": "no payment " + parts[2]}
                if parts[3] == "status":
                    to = q.get("to", [""])[0]
                    if to not in ("open", "pending", "paid", "failed", "canceled", "expired"):
                        return 400, {"error": "bad status " + to}
                    p["status"] = to
                    if to == "paid":
                        p["paidAt"] = now()
                elif parts[3] != "notify":
                    return 404, {"error": "unknown control " + path}
            if q.get("notify", ["1"])[0] == "0":
                return 200, {"payment": p["id"], "status": p["status"]}
            return 200, {"payment": p["id"], "status": p["status"], "webhook_status": notify(p, q)}
        return 404, {"error": "unknown control " + path}

    def route(self, method):
        u = urllib.parse.urlsplit(self.path)
        raw = self.body()
        if u.path.startswith("/_test/"):
            status, obj = self.control(method, u.path, urllib.parse.parse_qs(u.query))
        else:
            status, obj = self.api(method, u.path, raw)
        self.answer(status, obj)

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")


def main():
    global args
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--api-key", required=True)
    p.add_argument("--host", default="")
    p.add_argument("--deliver-to", default="")
    args = p.parse_args()
    ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
