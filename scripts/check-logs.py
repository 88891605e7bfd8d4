#!/usr/bin/env python3
"""Fails when a server log gives a secret away.

    check-logs.py LOG [--secrets FILE]...   scan LOG; exit 1 naming each leak
    check-logs.py --selftest                 check the rules on made-up lines

`make test` runs it on the log of each browser run (the server at log level
info: every request's path, every warning). A leak is any of:

- a secret the run is known to have used: each line of each --secrets file
  (the demo's passwords, and the passwords and links the browser tests made);
- anything shaped like a secret Vigil hands out: a token of 40 or more
  hexadecimal digits that is not a named SHA-256 (`sha256:...`), an API
  key (`vgl_...`), a base32 TOTP secret;
- a link that carries its token: /take/, /survey/, /me/, /set-password/
  followed by anything but `[token]`;
- a second-factor code or an answer value written as a field.

Colour codes (ANSI escapes) are taken out of each line first, so a field
written `code=...` in colour is still seen. A line is quoted shortened, so
the report does not repeat the whole secret.
"""
import re
import sys

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

SHAPES = [
    ("a token", re.compile(r"(?<![0-9a-f])(?<!sha256:)[0-9a-f]{40,}(?![0-9a-f])")),
    ("an API key", re.compile(r"\bvgl_[a-z0-9]+_[0-9a-f]{8,}")),
    ("a TOTP secret", re.compile(r"(?<![A-Za-z0-9])[A-Z2-7]{32}(?![A-Za-z0-9])")),
    ("a link with its token", re.compile(r"/(?:take|survey|me|set-password)/(?!\[token\])[A-Za-z0-9_-]{6,}")),
    ("a second-factor code", re.compile(r"\b(?:code|totp)\b[\"']?\s*[=:]\s*[\"']?\d{6}\b", re.I)),
    ("an answer value", re.compile(r"\b(?:answer|value|choice)s?\b[\"']?\s*[=:]\s*[\"']?-?\d", re.I)),
]


def known_secrets(files):
    secrets = set()
    for name in files:
        try:
            with open(name, encoding="utf-8") as f:
                for line in f:
                    line = line.strip()
                    # The demo credentials file: "... password: SECRET".
                    if "password:" in line:
                        line = line.rsplit("password:", 1)[1].strip()
                    if len(line) >= 8:
                        secrets.add(line)
        except FileNotFoundError:
            pass
    return secrets


def leaks(lines, secrets):
    found = []
    for number, line in enumerate(lines, 1):
        line = ANSI.sub("", line)
        for secret in secrets:
            if secret in line:
                found.append((number, "a secret the run used", line))
        for what, pattern in SHAPES:
            if pattern.search(line):
                found.append((number, what, line))
    return found


def shortened(line):
    line = line.strip()
    return line if len(line) <= 60 else line[:60] + "..."


def selftest():
    clean = [
        'INFO request{request_id=5f0c... method=GET path=/take/[token]}: served status=200 latency_ms=1.234567',
        'INFO request{method=POST path=/me/[token]/autosave}: served status=200',
        'WARN bank svi@1.1.0 content_hash=sha256:f8f35b3c3c3d1a7d2081fd5292ac86d13bc2ed4e1d64b62b2939b7281c79eae1',
        'INFO served status=303 latency_ms=12.5',
        'WARN an answer batch was slow to commit; saves waited batch_size=12 took_ms=140',
    ]
    dirty = [
        'INFO path=/survey/3f9a0c1d2e3f4a5b6c7d8e9f00112233445566778899aabb}: served',
        'INFO path=/take/abcDEF1234}: served',
        'INFO token 3f9a0c1d2e3f4a5b6c7d8e9f00112233445566778899aabb issued',
        'DEBUG key vgl_ab12cd34_0123456789abcdef',
        'DEBUG enrolment JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
        'DEBUG checked code=123456',
        '\x1b[2mDEBUG\x1b[0m checked \x1b[3mcode\x1b[0m\x1b[2m=\x1b[0m123456',
        'DEBUG saved answer value=4',
        'INFO sign-in with hunter2-is-the-password',
    ]
    secrets = {"hunter2-is-the-password"}
    assert leaks(clean, secrets) == [], leaks(clean, secrets)
    for line in dirty:
        assert leaks([line], secrets), line
    print("check-logs self-test: ok")


def main(argv):
    if argv[1:] == ["--selftest"]:
        selftest()
        return 0
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    log, files = argv[1], []
    rest = argv[2:]
    while rest:
        if rest[0] == "--secrets" and len(rest) > 1:
            files.append(rest[1])
            rest = rest[2:]
        else:
            print(f"check-logs: unknown argument {rest[0]!r}", file=sys.stderr)
            return 2
    with open(log, encoding="utf-8", errors="replace") as f:
        lines = f.readlines()
    found = leaks(lines, known_secrets(files))
    for number, what, line in found[:20]:
        print(f"{log}:{number}: {what}: {shortened(line)}", file=sys.stderr)
    if found:
        print(f"check-logs: {len(found)} leak(s) in {log} ({len(lines)} lines)", file=sys.stderr)
        return 1
    print(f"check-logs: {len(lines)} lines of {log}, nothing secret")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
