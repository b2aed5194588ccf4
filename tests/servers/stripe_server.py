#!/usr/bin/python3
"""
A local server that speaks the part of Stripe's API a payment plugin uses,
as Stripe documents it, so the tests can run a full card payment offline.

API (Authorization: Bearer <api key>, form-encoded bodies with Stripe's
nested keys such as metadata[order_code], Idempotency-Key honoured):
  POST /v1/checkout/sessions          create a Checkout Session (mode=payment)
  GET  /v1/checkout/sessions/{id}     retrieve it
  POST /v1/refunds                    refund a payment_intent (amount optional)
Webhooks are sent as Stripe sends them: POST of the event JSON with
  Stripe-Signature: t=<unix time>,v1=<hex HMAC-SHA256(secret, "t.payload")>
Test controls (no key needed; JSON answers):
  POST /_test/sessions/{id}/pay       complete the session: payment_intent,
        then checkout.session.completed to the webhook. Query: signature=
        bad|stale|rotated (two v1, the good one second), url=, host=.
  POST /_test/events/{id}/resend      send an event again (a replay)
  GET  /_test/requests                the API requests received, oldest first
  GET  /_test/deliveries              the webhooks sent and the status answered
Usage: stripe_server.py --port N --api-key sk_test_… --webhook-secret whsec_…
       [--webhook-url http://127.0.0.1:P/webhooks/payments/stripe] [--host H]
"""
import argparse
import hashlib
import hmac
import json
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

API_VERSION = "2024-06-20"
lock = threading.Lock()
sessions, intents, refunds, events = {}, {}, {}, {}
idempotent = {}          # Idempotency-Key → (status, body)
requests_seen, deliveries = [], []
args = None


def new_id(prefix):
    return prefix + "_test_" + secrets.token_hex(12)


def parse_form(body):
    """Stripe's form encoding: a[b][c]=v becomes {"a": {"b": {"c": "v"}}},
    a[0][b]=v a list element."""
    out = {}
    for key, value in urllib.parse.parse_qsl(body, keep_blank_values=True):
        parts = key.replace("]", "").split("[")
        node = out
        for i, p in enumerate(parts):
            last = i == len(parts) - 1
            nxt = None if last else parts[i + 1]
            if isinstance(node, list):
                p = int(p)
                while len(node) <= p:
                    node.append(None)
                if last:
                    node[p] = value
                else:
                    if node[p] is None:
                        node[p] = [] if nxt.isdigit() else {}
                    node = node[p]
            else:
                if last:
                    node[p] = value
                else:
                    node = node.setdefault(p, [] if nxt.isdigit() else {})
    return out


def error(status, message, param=None, etype="invalid_request_error"):
    e = {"type": etype, "message": message}
    if param:
        e["param"] = param
    return status, {"error": e}


def sign(payload, secret, t):
    mac = hmac.new(secret.encode(), f"{t}.".encode() + payload, hashlib.sha256)
    return mac.hexdigest()


def deliver(event, query):
    url = query.get("url", [args.webhook_url])[0]
    host = query.get("host", [args.host])[0]
    mode = query.get("signature", ["good"])[0]
    payload = json.dumps(event, separators=(",", ":")).encode()
    t = int(time.time())
    if mode == "stale":
        t -= 301
    good = sign(payload, args.webhook_secret, t)
    if mode == "bad":
        header = f"t={t},v1={sign(payload, 'whsec_not_the_secret', t)}"
    elif mode == "rotated":
        header = f"t={t},v1={sign(payload, 'whsec_old_secret', t)},v1={good}"
    else:
        header = f"t={t},v1={good}"
    req = urllib.request.Request(url, data=payload, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        "Stripe-Signature": header})
    if host:
        req.add_header("Host", host)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            status, answer = r.status, r.read().decode(errors="replace")
    except urllib.error.HTTPError as e:
        status, answer = e.code, e.read().decode(errors="replace")
    except OSError as e:
        status, answer = 0, str(e)
    with lock:
        deliveries.append({"event": event["id"], "type": event["type"], "signature": mode,
                           "status": status, "answer": answer[:500]})
    return status


def make_event(etype, obj):
    ev = {"id": new_id("evt"), "object": "event", "api_version": API_VERSION,
          "created": int(time.time()), "data": {"object": obj}, "livemode": False,
          "pending_webhooks": 1, "request": {"id": None, "idempotency_key": None}, "type": etype}
    events[ev["id"]] = ev
    return ev


def create_session(f):
    if f.get("mode") != "payment":
        return error(400, "Only mode=payment is supported here.", "mode")
    items = f.get("line_items") or []
    if not isinstance(items, list) or not items:
        return error(400, "Missing required param: line_items.", "line_items")
    total, currency = 0, None
    for i, it in enumerate(items):
        pd = (it or {}).get("price_data") or {}
        try:
            amount, qty = int(pd.get("unit_amount", "")), int(it.get("quantity", "1"))
        except ValueError:
            return error(400, "Invalid integer: unit_amount.", f"line_items[{i}][price_data][unit_amount]")
        if amount < 0 or qty < 1:
            return error(400, "Invalid amount.", f"line_items[{i}]")
        c = pd.get("currency", "").lower()
        if c != (currency or c) or not c:
            return error(400, "Missing or mixed currency.", f"line_items[{i}][price_data][currency]")
        currency = c
        total += amount * qty
    for k in ("success_url",):
        if not f.get(k):
            return error(400, f"Missing required param: {k}.", k)
    sid = new_id("cs")
    s = {"id": sid, "object": "checkout.session", "amount_subtotal": total, "amount_total": total,
         "currency": currency, "client_reference_id": f.get("client_reference_id"),
         "customer_email": f.get("customer_email"), "livemode": False,
         "metadata": f.get("metadata") or {}, "mode": "payment", "payment_intent": None,
         "payment_status": "unpaid", "status": "open", "success_url": f.get("success_url"),
         "cancel_url": f.get("cancel_url"), "created": int(time.time()),
         "expires_at": int(time.time()) + 86400,
         "url": f"http://127.0.0.1:{args.port}/c/pay/{sid}"}
    sessions[sid] = s
    return 200, s


def create_refund(f):
    pi = intents.get(f.get("payment_intent", ""))
    if not pi:
        return error(400, f"No such payment_intent: '{f.get('payment_intent', '')}'", "payment_intent",)
    left = pi["amount_received"] - pi["amount_refunded"]
    try:
        amount = int(f.get("amount", left))
    except ValueError:
        return error(400, "Invalid integer: amount.", "amount")
    if amount <= 0 or amount > left:
        return error(400, f"Refund amount ({amount}) is greater than unrefunded amount on charge ({left})",
                     "amount")
    pi["amount_refunded"] += amount
    r = {"id": new_id("re"), "object": "refund", "amount": amount, "currency": pi["currency"],
         "payment_intent": pi["id"], "status": "succeeded", "metadata": f.get("metadata") or {},
         "created": int(time.time())}
    refunds[r["id"]] = r
    return 200, r


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *a):
        pass

    def answer(self, status, obj):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Request-Id", "req_" + secrets.token_hex(7))
        self.end_headers()
        self.wfile.write(body)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def api(self, method):
        path = urllib.parse.urlsplit(self.path).path
        raw = self.body().decode(errors="replace")
        with lock:
            requests_seen.append({"method": method, "path": path, "body": raw,
                                  "idempotency_key": self.headers.get("Idempotency-Key"),
                                  "authorization": self.headers.get("Authorization", "")[:12]})
        if self.headers.get("Authorization") != "Bearer " + args.api_key:
            return error(401, "Invalid API Key provided.")
        key = self.headers.get("Idempotency-Key")
        with lock:
            if key and key in idempotent:
                return idempotent[key]
            f = parse_form(raw)
            if method == "POST" and path == "/v1/checkout/sessions":
                res = create_session(f)
            elif method == "GET" and path.startswith("/v1/checkout/sessions/"):
                s = sessions.get(path.rsplit("/", 1)[1])
                res = (200, s) if s else error(404, "No such checkout.session", etype="invalid_request_error")
            elif method == "POST" and path == "/v1/refunds":
                res = create_refund(f)
            else:
                res = error(404, f"Unrecognized request URL ({method}: {path}).")
            if key and method == "POST":
                idempotent[key] = res
            return res

    def control(self, method):
        u = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(u.query)
        parts = u.path.strip("/").split("/")
        if method == "GET" and parts == ["_test", "requests"]:
            with lock:
                return 200, list(requests_seen)
        if method == "GET" and parts == ["_test", "deliveries"]:
            with lock:
                return 200, list(deliveries)
        if method == "POST" and len(parts) == 4 and parts[1] == "sessions" and parts[3] == "pay":
            with lock:
                s = sessions.get(parts[2])
                if not s or s["status"] != "open":
                    return 404, {"error": "no open session " + parts[2]}
                pi = {"id": new_id("pi"), "object": "payment_intent", "amount": s["amount_total"],
                      "amount_received": s["amount_total"], "amount_refunded": 0,
                      "currency": s["currency"], "status": "succeeded", "metadata": s["metadata"]}
                intents[pi["id"]] = pi
                s.update(status="complete", payment_status="paid", payment_intent=pi["id"])
                ev = make_event("checkout.session.completed", dict(s))
            status = deliver(ev, q)
            return 200, {"event": ev["id"], "payment_intent": pi["id"], "webhook_status": status}
        if method == "POST" and len(parts) == 4 and parts[1] == "events" and parts[3] == "resend":
            ev = events.get(parts[2])
            if not ev:
                return 404, {"error": "no event " + parts[2]}
            return 200, {"event": ev["id"], "webhook_status": deliver(ev, q)}
        return 404, {"error": "unknown control " + u.path}

    def route(self, method):
        if self.path.startswith("/_test/"):
            self.body()
            status, obj = self.control(method)
        else:
            status, obj = self.api(method)
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
    p.add_argument("--webhook-secret", required=True)
    p.add_argument("--webhook-url", default="")
    p.add_argument("--host", default="")
    args = p.parse_args()
    ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
