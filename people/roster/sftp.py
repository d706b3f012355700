"""The roster fetched from the student information system's SFTP server, before the hourly import.

Districts' SIS (and Clever, ClassLink) most often leave the nightly OneRoster export on an SFTP
server. With `ROSTER_SFTP_URL` set (`sftp://user@host[:port]/path`, the path a folder of CSV
files or a `.zip`), the hourly import first copies it into `ROSTER_IMPORT_PATH` (a folder for
a folder, a `.zip` for a `.zip`), then reads that copy as it always does: an unchanged roster
changes nothing.

- The server is known in advance: its host key must be in `ROSTER_SFTP_KNOWN_HOSTS` (a
  `known_hosts` file); an unknown or changed key is refused, never trusted on first use.
- Signed in with `ROSTER_SFTP_KEY_FILE` (a private key), or `ROSTER_SFTP_PASSWORD`.
- A copy is whole or absent: it is written beside the old one and swapped in only when every
  file arrived, so a dropped connection leaves yesterday's roster in place.
- Only CSV files, each at most the reader's `MAX_FILE_BYTES`, are copied.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import paramiko
from django.conf import settings
from django.core import checks
from django.utils.translation import gettext as _

from people.roster.read import MAX_FILE_BYTES

TIMEOUT_SECONDS = 30


class FetchError(Exception):
    """The roster could not be fetched; the message says why in plain words (shown on /people/import/)."""


@dataclass(frozen=True)
class Source:
    host: str
    port: int
    username: str
    path: str  # on the server
    key_file: str
    password: str
    known_hosts: str
    into: Path  # ROSTER_IMPORT_PATH

    @property
    def is_zip(self) -> bool:
        return self.path.lower().endswith(".zip")


def configured() -> bool:
    return bool(getattr(settings, "ROSTER_SFTP_URL", ""))


def check_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The system check: settings that are set but cannot work (`manage.py check`, every start)."""
    if not configured():
        return []
    try:
        source()
    except FetchError as exc:
        return [checks.Error(str(exc), id="people.E001")]
    return []


def source() -> Source:
    """The settings read and checked, one place for the fetch and the system check."""
    url = urlsplit(settings.ROSTER_SFTP_URL)
    wrong: list[str] = []
    if url.scheme != "sftp" or not url.hostname or not url.username or url.path in ("", "/"):
        wrong.append(_("ROSTER_SFTP_URL must read sftp://user@host[:port]/path/to/folder-or.zip."))
    if url.password:
        wrong.append(_("Put the SFTP password in ROSTER_SFTP_PASSWORD, not in ROSTER_SFTP_URL."))
    if not settings.ROSTER_SFTP_KNOWN_HOSTS:
        wrong.append(_("ROSTER_SFTP_KNOWN_HOSTS must name a known_hosts file holding the SFTP server's key."))
    if not (settings.ROSTER_SFTP_KEY_FILE or settings.ROSTER_SFTP_PASSWORD):
        wrong.append(_("Set ROSTER_SFTP_KEY_FILE (a private key) or ROSTER_SFTP_PASSWORD."))
    into = settings.ROSTER_IMPORT_PATH
    if not into:
        wrong.append(_("ROSTER_IMPORT_PATH must name where the fetched roster is kept."))
    elif url.path and url.path.lower().endswith(".zip") != into.lower().endswith(".zip"):
        wrong.append(_("ROSTER_IMPORT_PATH must be a .zip when ROSTER_SFTP_URL is, and a folder when it is."))
    if wrong:
        raise FetchError(" ".join(wrong))
    try:
        port = url.port or 22
    except ValueError as exc:
        raise FetchError(_("ROSTER_SFTP_URL has a port that is not a number.")) from exc
    return Source(
        host=url.hostname or "",
        port=port,
        username=unquote(url.username or ""),
        path=unquote(url.path),
        key_file=settings.ROSTER_SFTP_KEY_FILE,
        password=settings.ROSTER_SFTP_PASSWORD,
        known_hosts=settings.ROSTER_SFTP_KNOWN_HOSTS,
        into=Path(into),
    )


def fetch(source: Source) -> None:
    """Copy the roster from the server into `source.into`, whole or not at all."""
    with _session(source) as sftp:
        try:
            kind = sftp.stat(source.path)
        except OSError as exc:
            raise FetchError(_("%(path)s is not on the SFTP server (%(error)s).") % _said(source.path, exc)) from exc
        if stat.S_ISDIR(kind.st_mode or 0):
            if source.is_zip:
                raise FetchError(_("%(path)s on the SFTP server is a folder, not a .zip.") % {"path": source.path})
            _fetch_folder(sftp, source)
        elif source.is_zip:
            _check_size(source.path, kind.st_size)
            _fetch_file(sftp, source.path, source.into)
        else:
            raise FetchError(_("%(path)s on the SFTP server is neither a folder nor a .zip.") % {"path": source.path})


def _fetch_folder(sftp: paramiko.SFTPClient, source: Source) -> None:
    files = [
        entry
        for entry in sftp.listdir_attr(source.path)
        if entry.filename.lower().endswith(".csv") and stat.S_ISREG(entry.st_mode or 0)
    ]
    if not files:
        raise FetchError(_("There are no CSV files in %(path)s on the SFTP server.") % {"path": source.path})
    for entry in files:
        _check_size(entry.filename, entry.st_size)
    into = source.into
    fresh, old = into.with_name(f".{into.name}.fetching"), into.with_name(f".{into.name}.previous")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)
    try:
        for entry in files:
            sftp.get(posixpath.join(source.path, entry.filename), str(fresh / Path(entry.filename).name))
    except (OSError, paramiko.SSHException) as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        raise FetchError(_("The copy from the SFTP server stopped (%(error)s).") % {"error": exc}) from exc
    shutil.rmtree(old, ignore_errors=True)
    if into.exists():
        into.rename(old)
    fresh.rename(into)
    shutil.rmtree(old, ignore_errors=True)


def _fetch_file(sftp: paramiko.SFTPClient, remote: str, into: Path) -> None:
    into.parent.mkdir(parents=True, exist_ok=True)
    fresh = into.with_name(f".{into.name}.fetching")
    try:
        sftp.get(remote, str(fresh))
    except (OSError, paramiko.SSHException) as exc:
        fresh.unlink(missing_ok=True)
        raise FetchError(_("The copy from the SFTP server stopped (%(error)s).") % {"error": exc}) from exc
    fresh.replace(into)


def _check_size(name: str, size: int | None) -> None:
    if (size or 0) > MAX_FILE_BYTES:
        raise FetchError(
            _("%(name)s on the SFTP server is larger than %(mb)s MB.") % {"name": name, "mb": MAX_FILE_BYTES // 2**20}
        )


def _said(path: str, exc: OSError) -> dict[str, str]:
    return {"path": path, "error": exc.strerror or str(exc)}


@contextmanager
def _session(source: Source) -> Iterator[paramiko.SFTPClient]:
    if source.key_file and not os.access(source.key_file, os.R_OK):
        raise FetchError(_("The private key %(path)s cannot be read.") % {"path": source.key_file})
    client = paramiko.SSHClient()
    try:
        client.load_host_keys(source.known_hosts)
    except OSError as exc:
        raise FetchError(
            _("The known_hosts file %(path)s cannot be read (%(error)s).") % _said(source.known_hosts, exc)
        ) from exc
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    where = {"host": source.host}
    try:
        client.connect(
            source.host,
            port=source.port,
            username=source.username,
            key_filename=source.key_file or None,
            password=source.password or None,
            look_for_keys=False,
            allow_agent=False,
            timeout=TIMEOUT_SECONDS,
            banner_timeout=TIMEOUT_SECONDS,
            auth_timeout=TIMEOUT_SECONDS,
        )
        sftp = client.open_sftp()
    except paramiko.BadHostKeyException as exc:
        client.close()
        raise FetchError(
            _("%(host)s answered with a different key than the one in ROSTER_SFTP_KNOWN_HOSTS; nothing was fetched.")
            % where
        ) from exc
    except paramiko.AuthenticationException as exc:
        client.close()
        raise FetchError(_("%(host)s refused the help desk's SFTP sign-in.") % where) from exc
    except paramiko.SSHException as exc:
        client.close()
        if "known_hosts" in str(exc):
            raise FetchError(
                _("%(host)s is not in ROSTER_SFTP_KNOWN_HOSTS, so it is not trusted; nothing was fetched.") % where
            ) from exc
        raise FetchError(_("SFTP with %(host)s failed (%(error)s).") % {**where, "error": exc}) from exc
    except OSError as exc:  # refused, unreachable, timed out
        client.close()
        raise FetchError(_("%(host)s could not be reached (%(error)s).") % {**where, "error": exc}) from exc
    try:
        yield sftp
    finally:
        client.close()
