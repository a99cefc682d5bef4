"""Headless Chromium for the report tests: find (or install) Debian's ``chromium``, load a local
HTML file with every phone-home switched off and no host name resolvable, and return what a
person would see (screenshot), the DOM, the page's console output and the page's own network
requests (from ``--log-net-log``)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

#: The switches the issue requires on every run: nothing leaves the machine, nothing is synced.
FLAGS = (
    "--headless",
    "--disable-gpu",
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--enable-logging=stderr",
    "--v=0",
)
#: Browser-initiated requests (time sync, accounts) carry this initiator; the page's carry its origin.
BROWSER_INITIATOR = "not an origin"


class Unavailable(Exception):
    """Chromium is not installed and cannot be installed here (the reason is the message)."""


def _apt_install() -> Optional[str]:
    """``apt-get install -y chromium`` when root with apt; None on success, else why not."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "not root, so apt-get cannot install it (run `make chromium` as root or install `chromium`)"
    apt = shutil.which("apt-get")
    if apt is None:
        return "no apt-get on this system (install Debian's `chromium` package by hand)"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for update in (False, True):
        if update:
            subprocess.run([apt, "update", "-qq"], env=env, capture_output=True, timeout=600, check=False)
        done = subprocess.run([apt, "install", "-y", "-qq", "chromium"], env=env, capture_output=True, text=True,
                              timeout=1200, check=False)
        if done.returncode == 0 and shutil.which("chromium"):
            return None
    return f"`apt-get install -y chromium` failed: {done.stderr.strip()[-300:]}"


def executable() -> str:
    """The chromium binary, installed with apt when missing; :class:`Unavailable` if impossible."""
    found = shutil.which("chromium")
    if found:
        return found
    reason = _apt_install()
    found = shutil.which("chromium")
    if reason or not found:
        raise Unavailable(reason or "chromium not on PATH after installing")
    return found


@dataclass
class Page:
    dom: str
    console: list[str]
    requests: list[str]
    screenshot: Optional[Path]


def console_lines(stderr: str) -> list[str]:
    """The page's console messages in Chromium's ``--enable-logging=stderr`` output."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def page_requests(netlog: Path) -> list[str]:
    """URLs of the network requests the page made (not the browser's own), from a net log."""
    log = json.loads(netlog.read_text(encoding="utf-8"))
    types = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    urls = []
    for event in log["events"]:
        params = event.get("params") or {}
        if types.get(event["type"]) != "URL_REQUEST_START_JOB" or "url" not in params:
            continue
        if params.get("initiator") != BROWSER_INITIATOR or "file://" in str(params.get("network_isolation_key")):
            urls.append(str(params["url"]))
    return urls


def _run(binary: str, url: str, workdir: Path, name: str, extra: list[str]) -> tuple[str, str, list[str]]:
    netlog = workdir / f"{name}-netlog.json"
    command = [binary, *FLAGS, f"--user-data-dir={workdir / (name + '-profile')}", f"--log-net-log={netlog}",
               *extra, url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False, cwd=workdir)
    if done.returncode != 0:
        raise RuntimeError(f"chromium exited {done.returncode}: {done.stderr[-2000:]}")
    return done.stdout, done.stderr, page_requests(netlog)


def load(path: Path, workdir: Path, *, screenshot: bool = True, window: tuple[int, int] = (1280, 9000)) -> Page:
    """Loads ``path`` twice (DOM dump with console output; screenshot), each with a net log."""
    binary = executable()
    url = path.resolve().as_uri()
    dom, stderr, requests = _run(binary, url, workdir, "dom", ["--dump-dom"])
    shot: Optional[Path] = None
    console = console_lines(stderr)
    if screenshot:
        shot = workdir / f"{path.stem}.png"
        _, stderr2, more = _run(binary, url, workdir, "shot",
                                [f"--screenshot={shot}", f"--window-size={window[0]},{window[1]}",
                                 "--hide-scrollbars"])
        console += console_lines(stderr2)
        requests += more
    return Page(dom, console, requests, shot)
