#!/usr/bin/python3
"""jsontool: reads and edits JSON for the shell tests of the API.

Standard library only; run it with /usr/bin/python3 (the system Python).

  jsontool.py get FILE PATH        the value at PATH: strings raw, other
                                   values as compact JSON; exit 1 if absent
  jsontool.py has FILE PATH        exit 0 when PATH exists, else 1
  jsontool.py edit FILE EDIT...    FILE with the edits applied, as JSON:
                                   PATH=JSON sets (creating objects), -PATH
                                   deletes
  jsontool.py merge FILE JSON...   the object of FILE updated with the members
                                   of each JSON object given
  jsontool.py errors FILE          one line per problem of a problem
                                   document: "pointer<TAB>detail"
  jsontool.py keys FILE PATH       the members of the object at PATH, sorted
  jsontool.py column FILE PATH KEY  KEY of each element of the array at PATH,
                                   one a line

PATH is dotted: totals.total, lines.0.sku, errors.1.pointer ("" is the
root). FILE "-" is standard input.
"""
import json
import sys


def load(name):
    if name == "-":
        return json.load(sys.stdin)
    with open(name, encoding="utf-8") as f:
        return json.load(f)


def split(path):
    return [p for p in path.split(".")] if path else []


def walk(doc, path):
    for part in split(path):
        if isinstance(doc, list):
            doc = doc[int(part)]
        elif isinstance(doc, dict):
            doc = doc[part]
        else:
            raise KeyError(part)
    return doc


def show(value):
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def edit(doc, spec):
    delete = spec.startswith("-")
    if delete:
        path, value = spec[1:], None
    else:
        path, _, text = spec.partition("=")
        value = json.loads(text)
    parts = split(path)
    parent = doc
    for part in parts[:-1]:
        if isinstance(parent, list):
            parent = parent[int(part)]
        else:
            parent = parent.setdefault(part, {})
    last = parts[-1]
    if isinstance(parent, list):
        if delete:
            del parent[int(last)]
        else:
            parent[int(last)] = value
    elif delete:
        parent.pop(last, None)
    else:
        parent[last] = value


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    cmd, name = argv[1], argv[2]
    try:
        doc = load(name)
    except (OSError, ValueError) as e:
        sys.stderr.write("jsontool: %s: %s\n" % (name, e))
        return 1
    if cmd in ("get", "has", "keys", "column"):
        path = argv[3] if len(argv) > 3 else ""
        try:
            value = walk(doc, path)
        except (KeyError, IndexError, ValueError, TypeError):
            if cmd != "has":
                sys.stderr.write("jsontool: no %s in %s\n" % (path, name))
            return 1
        if cmd == "get":
            print(show(value))
        elif cmd == "keys":
            print("\n".join(sorted(value)))
        elif cmd == "column":
            for item in value:
                print(show(item.get(argv[4])))
        return 0
    if cmd == "edit":
        for spec in argv[3:]:
            edit(doc, spec)
        print(json.dumps(doc, ensure_ascii=False, separators=(",", ":")))
        return 0
    if cmd == "merge":
        for text in argv[3:]:
            doc.update(json.loads(text))
        print(json.dumps(doc, ensure_ascii=False, separators=(",", ":")))
        return 0
    if cmd == "errors":
        for e in doc.get("errors", []):
            print("%s\t%s" % (e.get("pointer"), e.get("detail")))
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
