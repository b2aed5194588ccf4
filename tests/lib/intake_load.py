#!/usr/bin/python3
"""intake_load: many storefronts posting orders at once, for the
concurrency and crash tests of the intake API. Standard library only: run
it with /usr/bin/python3.

  intake_load.py run --port P --key K --skus A,B,C --out FILE [options]
      N clients (threads, one keep-alive connection each) post orders
      through nginx. Every request is one JSON line of FILE, written as
      soon as its answer is known:
        {"client", "i", "key", "status", "code", "replayed", "lines",
         "problem", "ms", "body"}
      status is the HTTP status, or 0 when no answer came (connection
      refused, reset, cut short); code is the order's code on a 201;
      problem the problem document otherwise; body the request sent.
    --clients N        threads (8)
    --requests N       requests per client (1); or
    --duration S       seconds of posting per client instead
    --lines N          lines per order, on distinct SKUs drawn from --skus (1)
    --quantity Q       units per line (1)
    --barrier          every client connects first, then all send at once
    --idempotency      an Idempotency-Key per request (PREFIX-client-i);
                       it is also the order's external_reference
    --half-keys        the same, but only every other request carries its
                       key (odd i: none, as a storefront may omit it); the
                       external_reference is PREFIX-client-i all the same
    --prefix PREFIX    of keys and e-mails (a random one by default)
    --same-email       every order from one customer (default: one a client)
    --same-key KEY     every client sends the same request: same body, same
                       Idempotency-Key KEY
    --watch SKU        a thread polls GET /api/v1/products/SKU meanwhile;
                       "watch" line on stdout: polls, min available
    --host HOST        Host header (atelier.localhost)
  intake_load.py retry --port P --key K --in FILE --out FILE2 [--skip-keyless]
      Sends again, with the same Idempotency-Key and body, every request
      of FILE that got no answer or a 5xx. Writes FILE2 like run. A
      request sent without a key cannot be sent again safely: it is an
      error, or with --skip-keyless left out.
  intake_load.py summary FILE     "STATUS COUNT" lines, by status
  intake_load.py codes FILE       the codes of the orders answered 201
  intake_load.py conflicts FILE   each 409: "sku requested available"
  intake_load.py sold FILE        units in the orders answered 201, by SKU
  intake_load.py answers FILE     "status replayed sha256-of-body" of each answer
"""
import argparse
import hashlib
import http.client
import json
import os
import random
import sys
import threading
import time


def order_body(skus, quantity, email, ext_ref):
    body = {
        "customer": {"title": "Mme", "first_name": "Hélène", "last_name": "Dupré",
                     "email": email, "phone": "+33612345678"},
        "billing_address": {"name": "Hélène Dupré", "company": "", "line1": "12 rue des Lilas",
                            "line2": "", "postcode": "69003", "city": "Lyon", "country": "FR"},
        "shipping_address": {"name": "Hélène Dupré", "company": "", "line1": "12 rue des Lilas",
                             "line2": "", "postcode": "69003", "city": "Lyon", "country": "FR"},
        "lines": [{"sku": s, "quantity": quantity} for s in skus],
        "carrier": "colissimo", "shipping_cost": 690, "payment_method": "banktransfer",
        "remarks": "Livrer après 18 h", "external_reference": ext_ref, "title": "",
    }
    return json.dumps(body, ensure_ascii=False)


class Client:
    """One storefront: one keep-alive connection, reopened after errors."""

    def __init__(self, args):
        self.args = args
        self.conn = None

    def connect(self):
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.args.port, timeout=60)
            self.conn.connect()

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method, path, body=None, idem=None):
        """(status, headers, body bytes); status 0 when no answer came."""
        headers = {"Host": self.args.host, "Authorization": "Bearer " + self.args.key}
        data = None
        if body is not None:
            data = body.encode("utf-8")
            headers["Content-Type"] = "application/json"
        if idem:
            headers["Idempotency-Key"] = idem
        try:
            self.connect()
            self.conn.request(method, path, body=data, headers=headers)
            resp = self.conn.getresponse()
            payload = resp.read()
            if resp.getheader("Connection", "").lower() == "close":
                self.close()
            return resp.status, resp, payload
        except (OSError, http.client.HTTPException) as e:
            self.close()
            return 0, None, str(e).encode()


class Recorder:
    def __init__(self, path):
        self.lock = threading.Lock()
        self.f = open(path, "a", encoding="utf-8")

    def write(self, rec):
        line = json.dumps(rec, ensure_ascii=False)
        with self.lock:
            self.f.write(line + "\n")
            self.f.flush()

    def close(self):
        self.f.close()


def send(client, rec_out, record, body, idem):
    t0 = time.monotonic()
    status, resp, payload = client.request("POST", "/api/v1/orders", body, idem)
    record.update(status=status, ms=round((time.monotonic() - t0) * 1000, 2), body=body,
                  key=idem, code=None, replayed=False, problem=None,
                  answer_sha256=hashlib.sha256(payload).hexdigest())
    if resp is not None:
        record["replayed"] = resp.getheader("Idempotent-Replayed") == "true"
        try:
            doc = json.loads(payload)
        except ValueError:
            doc = {"unparsed": payload[:200].decode("utf-8", "replace")}
        if status == 201:
            record["code"] = doc.get("code")
        else:
            record["problem"] = doc
    else:
        record["problem"] = {"error": payload.decode("utf-8", "replace")}
    rec_out.write(record)
    return status


def run(args):
    skus = args.skus.split(",")
    prefix = args.prefix or "load%06d" % random.randrange(1000000)
    rec = Recorder(args.out)
    barrier = threading.Barrier(args.clients) if args.barrier else None
    done = threading.Event()
    watch = {"polls": 0, "min": None, "bad": 0}

    def client_main(n):
        c = Client(args)
        rnd = random.Random("%s-%d" % (prefix, n))
        email = ("%s@example.fr" % prefix) if args.same_email else ("%s-%d@example.fr" % (prefix, n))
        if barrier is not None:
            try:
                c.connect()
            except OSError:
                c.close()
            barrier.wait()
        end = time.monotonic() + args.duration if args.duration else None
        i = 0
        while True:
            if end is not None:
                if time.monotonic() >= end:
                    break
            elif i >= args.requests:
                break
            chosen = rnd.sample(skus, args.lines)
            key = "%s-%d-%d" % (prefix, n, i) if args.idempotency or args.half_keys else None
            if args.half_keys and i % 2:
                key = None
            if args.same_key:
                key = args.same_key
            body = order_body(chosen, args.quantity, email, key or "%s-%d-%d" % (prefix, n, i))
            if args.same_key:   # every client sends exactly the same request
                body = order_body(skus[:args.lines], args.quantity, "%s@example.fr" % prefix, key)
            record = {"client": n, "i": i, "lines": [[s, args.quantity] for s in chosen]}
            status = send(c, rec, record, body, key)
            if status in (0, 502, 503, 504) and end is not None:
                time.sleep(0.02)   # the server is away: do not spin
            i += 1
        c.close()

    def watcher():
        c = Client(args)
        while not done.is_set():
            status, _, payload = c.request("GET", "/api/v1/products/" + args.watch)
            if status == 200:
                doc = json.loads(payload)
                a = doc["available"]
                watch["polls"] += 1
                watch["min"] = a if watch["min"] is None else min(watch["min"], a)
                if a < 0 or doc["reserved"] > doc["stock_on_hand"]:
                    watch["bad"] += 1
            time.sleep(0.002)
        c.close()

    threads = [threading.Thread(target=client_main, args=(n,)) for n in range(args.clients)]
    w = threading.Thread(target=watcher) if args.watch else None
    if w:
        w.start()
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    done.set()
    if w:
        w.join()
    rec.close()
    print("elapsed %.2f s" % elapsed)
    if w:
        print("watch polls=%d min_available=%s bad=%d" % (watch["polls"], watch["min"], watch["bad"]))
    return 0


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def retry(args):
    rec = Recorder(args.out)
    c = Client(args)
    for r in load(args.inp):
        if r["status"] == 0 or r["status"] >= 500:
            if not r.get("key"):
                if args.skip_keyless:
                    continue
                sys.stderr.write("intake_load: cannot retry a request without a key\n")
                return 1
            record = {"client": r["client"], "i": r["i"], "lines": r["lines"], "retry_of": r["status"]}
            send(c, rec, record, r["body"], r["key"])
    c.close()
    rec.close()
    return 0


def report(cmd, path):
    recs = load(path)
    if cmd == "summary":
        counts = {}
        for r in recs:
            counts[r["status"]] = counts.get(r["status"], 0) + 1
        for s in sorted(counts):
            print(s, counts[s])
    elif cmd == "codes":
        for r in recs:
            if r["status"] == 201:
                print(r["code"])
    elif cmd == "conflicts":
        for r in recs:
            if r["status"] == 409:
                for e in r["problem"].get("errors", []):
                    print(e.get("sku"), e.get("requested"), e.get("available"))
    elif cmd == "answers":
        for r in recs:
            print(r["status"], "replayed" if r.get("replayed") else "first", r.get("answer_sha256"))
    elif cmd == "sold":
        sold = {}
        for r in recs:
            if r["status"] == 201 and not r.get("replayed"):
                for sku, q in r["lines"]:
                    sold[sku] = sold.get(sku, 0) + q
        for sku in sorted(sold):
            print(sku, sold[sku])
    return 0


def main(argv):
    if len(argv) >= 3 and argv[1] in ("summary", "codes", "conflicts", "sold", "answers"):
        return report(argv[1], argv[2])
    p = argparse.ArgumentParser(prog="intake_load.py")
    p.add_argument("cmd", choices=["run", "retry"])
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--host", default="atelier.localhost")
    p.add_argument("--key", required=True)
    p.add_argument("--skus", default="")
    p.add_argument("--out", required=True)
    p.add_argument("--in", dest="inp")
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--requests", type=int, default=1)
    p.add_argument("--duration", type=float, default=0)
    p.add_argument("--lines", type=int, default=1)
    p.add_argument("--quantity", type=int, default=1)
    p.add_argument("--barrier", action="store_true")
    p.add_argument("--idempotency", action="store_true")
    p.add_argument("--half-keys", action="store_true")
    p.add_argument("--skip-keyless", action="store_true")
    p.add_argument("--prefix", default="")
    p.add_argument("--same-email", action="store_true")
    p.add_argument("--same-key", default="")
    p.add_argument("--watch", default="")
    args = p.parse_args(argv[1:])
    if args.cmd == "retry":
        return retry(args)
    return run(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
