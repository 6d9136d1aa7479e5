"""Wrong passwords against a running instance, as an attacker would send them: how each
is answered, how long they take, and whether the right password then signs in.

    make run &                                    # or make serve
    .venv/bin/python bench/sign_in_lockout.py --url http://127.0.0.1:8000 --user demo \
        --password '<the demo password>' --tries 100

Sends --tries wrong passwords to the sign-in page and to /api/v1/token/ (from this one
address), then the right password to each; prints the answers by status and the time.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter


def _opener():
    jar = http.cookiejar.CookieJar()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect), jar


def _status(opener, request) -> int:
    try:
        with opener.open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def web(base: str, user: str, password: str) -> int:
    opener, _jar = _opener()
    page = opener.open(f"{base}/accounts/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": user, "password": password}
    ).encode()
    request = urllib.request.Request(
        f"{base}/accounts/login/", data=data, headers={"Referer": f"{base}/accounts/login/"}
    )
    return _status(opener, request)


def api(base: str, user: str, password: str) -> int:
    opener, _jar = _opener()
    body = json.dumps({"username": user, "password": password}).encode()
    request = urllib.request.Request(
        f"{base}/api/v1/token/", data=body, headers={"Content-Type": "application/json"}
    )
    return _status(opener, request)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="demo")
    parser.add_argument("--password", required=True)
    parser.add_argument("--tries", type=int, default=100)
    args = parser.parse_args()
    for name, send in (("sign-in page", web), ("API token endpoint", api)):
        answers, start = Counter(), time.perf_counter()
        for n in range(args.tries):
            answers[send(args.url, args.user, f"wrong-{n}")] += 1
        seconds = time.perf_counter() - start
        right = send(args.url, args.user, args.password)
        summary = ", ".join(f"{count} × {status}" for status, count in sorted(answers.items()))
        print(
            f"{name}: {args.tries} wrong passwords in {seconds:.1f} s: {summary}; "
            f"then the right password: {right}"
        )


if __name__ == "__main__":
    main()
