#!/usr/bin/env python3
"""Checks that docs/api/openapi.yaml and the HTTP routes registered in src/ agree.

Usage: scripts/check_openapi.py [PROJECT_DIR]        (default: the folder above scripts/)

Collects every route registered in src/**/*.{cpp,hpp} -- router.get/post/put/patch/del("...")
(del is DELETE), router.websocket("...") (a GET) and router.add(http::verb::X, "...") -- and
every path + method under `paths:` of the spec, then fails, listing them, on:
  - a route missing from the spec, or a spec operation with no route (paths compare literally,
    parameter names included: /v1/rooms/{id} is not /v1/rooms/{room_id});
  - a route registration whose path is not a string literal (it could not be checked);
and, when PyYAML is available (Debian: python3-yaml), also on:
  - a `{name}` in a spec path without an `in: path` parameter of that name, or a declared path
    parameter that is not in the path;
  - a local `$ref` ('#/...') that points at nothing.
Without PyYAML a small reader of the `paths:` block is used and the last two checks are skipped.
Exit status: 0 agree, 1 disagree, 2 the inputs could not be read.
"""
from __future__ import annotations

import bisect
import pathlib
import re
import sys

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
ROUTER_CALL = re.compile(r"\brouter\s*\.\s*(get|post|put|patch|del|websocket)\s*\(")
ROUTER_LITERAL = re.compile(r'\brouter\s*\.\s*(get|post|put|patch|del|websocket)\s*\(\s*"([^"\\]*)"')
ROUTER_ADD_CALL = re.compile(r"\brouter\s*\.\s*add\s*\(")
ROUTER_ADD_LITERAL = re.compile(r'\brouter\s*\.\s*add\s*\(\s*(?:\w+::)*verb::(\w+)\s*,\s*"([^"\\]*)"')
CALL_METHOD = {"get": "get", "post": "post", "put": "put", "patch": "patch", "del": "delete", "websocket": "get"}
VERB_METHOD = {"get": "get", "post": "post", "put": "put", "patch": "patch", "delete_": "delete",
               "head": "head", "options": "options"}
# C++ comments, and the literals that may contain comment-like text: raw strings, strings, chars.
CPP_TOKENS = re.compile(r'R"([^()\\\s]{0,16})\(.*?\)\1"|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|//[^\n]*|/\*.*?\*/',
                        re.S)


def strip_comments(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Blanks C++ comments (keeping their newlines, so line numbers hold); also returns the spans
    of the string and character literals, where a route-like text is not a call."""
    literals: list[tuple[int, int]] = []

    def keep(m: re.Match) -> str:
        tok = m.group(0)
        if tok.startswith("//") or tok.startswith("/*"):
            return "".join("\n" if c == "\n" else " " for c in tok)
        literals.append((m.start(), m.end()))  # same length in and out: offsets hold
        return tok
    return CPP_TOKENS.sub(keep, text), literals


def inside(spans: list[tuple[int, int]], pos: int) -> bool:
    i = bisect.bisect_right(spans, (pos, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def source_routes(root: pathlib.Path):
    """{(method, path): [where, ...]} of the routes registered in src/, and the unreadable ones."""
    routes: dict[tuple[str, str], list[str]] = {}
    unreadable: list[str] = []
    files = sorted(p for ext in ("*.cpp", "*.hpp") for p in (root / "src").rglob(ext))
    if not files:
        raise SystemExit(f"check_openapi: no C++ sources under {root / 'src'}")
    for path in files:
        text, literals = strip_comments(path.read_text(encoding="utf-8", errors="replace"))
        rel = path.relative_to(root)
        for call, literal, methods in ((ROUTER_CALL, ROUTER_LITERAL, CALL_METHOD),
                                       (ROUTER_ADD_CALL, ROUTER_ADD_LITERAL, VERB_METHOD)):
            for m in call.finditer(text):
                if inside(literals, m.start()):
                    continue
                where = f"{rel}:{text.count(chr(10), 0, m.start()) + 1}"
                lit = literal.match(text, m.start())
                if not lit or lit.group(1) not in methods:
                    unreadable.append(where)
                    continue
                routes.setdefault((methods[lit.group(1)], lit.group(2)), []).append(where)
    return routes, unreadable


def load_spec(spec_path: pathlib.Path):
    """The spec as a dict with PyYAML, else None (the caller falls back to read_paths_block)."""
    try:
        import yaml  # noqa: PLC0415 (optional dependency)
    except ImportError:
        return None
    with spec_path.open(encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    if not isinstance(doc, dict) or not isinstance(doc.get("paths"), dict):
        raise SystemExit(f"check_openapi: {spec_path} has no `paths:` mapping")
    return doc


def read_paths_block(spec_path: pathlib.Path) -> dict[str, list[str]]:
    """Without PyYAML: the keys of the block-style `paths:` mapping (2 spaces) and their methods (4)."""
    paths: dict[str, list[str]] = {}
    inside, current = False, None
    for line in spec_path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line.startswith(" "):
            inside = line.rstrip() == "paths:"
            continue
        if not inside:
            continue
        m = re.match(r"^( +)(['\"]?)([^'\":#][^'\"]*?|[^'\"]*?)\2:(\s|$)", line)
        if not m:
            continue
        indent, key = len(m.group(1)), m.group(3)
        if indent == 2:
            current = key
            paths.setdefault(current, [])
        elif indent == 4 and current is not None and key in HTTP_METHODS:
            paths[current].append(key)
    if not paths:
        raise SystemExit(f"check_openapi: no `paths:` entries found in {spec_path}")
    return paths


def resolve(doc, ref: str):
    node = doc
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def structural_problems(doc) -> list[str]:
    """Path parameters declared as in the path, and local $refs that resolve."""
    problems: list[str] = []

    def walk(node, where):
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/") and resolve(doc, ref) is None:
                problems.append(f"{where}: $ref {ref} points at nothing")
            for k, v in node.items():
                walk(v, f"{where} > {k}" if where else str(k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{where}[{i}]")

    walk(doc, "")

    def path_params(params) -> set[str]:
        names = set()
        for p in params or []:
            if isinstance(p, dict) and isinstance(p.get("$ref"), str):
                p = resolve(doc, p["$ref"]) or {}
            if isinstance(p, dict) and p.get("in") == "path":
                names.add(p.get("name"))
        return names

    for path, item in doc["paths"].items():
        if not isinstance(item, dict):
            continue
        in_path = set(re.findall(r"\{([^}]+)\}", path))
        shared = path_params(item.get("parameters"))
        for method in HTTP_METHODS:
            if method not in item:
                continue
            declared = shared | path_params((item[method] or {}).get("parameters"))
            for name in sorted(in_path - declared):
                problems.append(f"{method.upper()} {path}: no `in: path` parameter `{name}`")
            for name in sorted(declared - in_path):
                problems.append(f"{method.upper()} {path}: path parameter `{name}` is not in the path")
    return problems


def main(argv: list[str]) -> int:
    if len(argv) > 2 or (len(argv) == 2 and argv[1] in ("-h", "--help")):
        print(__doc__.strip())
        return 0 if len(argv) == 2 else 2
    root = pathlib.Path(argv[1] if len(argv) == 2 else pathlib.Path(__file__).resolve().parent.parent).resolve()
    spec_path = root / "docs" / "api" / "openapi.yaml"
    if not spec_path.is_file():
        print(f"check_openapi: {spec_path} not found", file=sys.stderr)
        return 2
    try:
        routes, unreadable = source_routes(root)
        doc = load_spec(spec_path)
        if doc is not None:
            spec = {p: [m for m in HTTP_METHODS if m in (item or {})] for p, item in doc["paths"].items()}
        else:
            spec = read_paths_block(spec_path)
            print("check_openapi: PyYAML missing; read the `paths:` block only (no parameter or $ref checks)")
    except SystemExit as e:
        print(e, file=sys.stderr)
        return 2
    except Exception as e:  # a YAML syntax error, an unreadable file
        print(f"check_openapi: cannot read the inputs: {e}", file=sys.stderr)
        return 2

    operations = {(m, p) for p, methods in spec.items() for m in methods}
    # The router answers HEAD for every GET route.
    get_paths = {p for (m, p) in routes if m == "get"}
    missing = sorted(set(routes) - operations, key=lambda r: (r[1], r[0]))
    extra = sorted((op for op in operations if op not in routes and not (op[0] == "head" and op[1] in get_paths)),
                   key=lambda r: (r[1], r[0]))
    problems = structural_problems(doc) if doc is not None else []

    failed = False
    if missing:
        failed = True
        print(f"Routes registered in src/ but missing from {spec_path.relative_to(root)}:")
        for method, path in missing:
            print(f"  {method.upper():6} {path}    ({', '.join(routes[(method, path)])})")
    if extra:
        failed = True
        print(f"Operations in {spec_path.relative_to(root)} with no route registered in src/:")
        for method, path in extra:
            print(f"  {method.upper():6} {path}")
    if unreadable:
        failed = True
        print("Route registrations whose method or path is not a literal (cannot be checked):")
        for where in unreadable:
            print(f"  {where}")
    if problems:
        failed = True
        print("Spec problems:")
        for p in problems:
            print(f"  {p}")
    if failed:
        print("check_openapi: FAILED -- make docs/api/openapi.yaml describe exactly the routes in src/")
        return 1
    print(f"check_openapi: {len(routes)} routes in src/ and {len(operations)} operations in the spec agree")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
