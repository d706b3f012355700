"""A throw-away Dovecot IMAP server for tests: one user, a mailbox in a temp dir, IMAPS
with a self-signed certificate made for the run. Skips when dovecot is not installed
(`apt-get install dovecot-imapd`; .ci/run installs it)."""

import grp
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

USER, PASSWORD = "helpdesk", "mailbox-password"


@dataclass(frozen=True)
class Dovecot:
    port: int  # IMAPS
    ca_file: str

    @property
    def url(self) -> str:
        return f"imaps://{USER}:{PASSWORD}@127.0.0.1:{self.port}/INBOX"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(*, oauth2_introspection_url: str = "") -> Iterator[Dovecot]:
    """Start Dovecot in a fresh directory and stop it (and remove the directory) at the end.

    With `oauth2_introspection_url`, XOAUTH2 and OAUTHBEARER sign-in is switched on too:
    Dovecot's oauth2 passdb POSTs the bearer token there (RFC 7662 introspection) and
    lets the user in when the answer is `{"active": true, "username": "<user>"}`, as
    Google's and Microsoft's servers decide for their mailboxes.
    """
    tmp = Path(tempfile.mkdtemp(prefix="dovecot-test-"))
    # Dovecot's own processes (not root) must reach the mailbox: no 0700 parents.
    tmp.chmod(0o755)
    try:
        yield from _run(tmp, oauth2_introspection_url)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _oauth2_passdb(tmp: Path, introspection_url: str) -> str:
    if not introspection_url:
        return ""
    (tmp / "oauth2.conf.ext").write_text(
        f"introspection_mode = post\nintrospection_url = {introspection_url}\nforce_introspection = yes\n"
        "username_attribute = username\nactive_attribute = active\nactive_value = true\n"
    )
    return f"""passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {tmp}/oauth2.conf.ext
}}
"""


def _run(tmp: Path, oauth2_introspection_url: str = "") -> Iterator[Dovecot]:
    binary = shutil.which("dovecot") or ("/usr/sbin/dovecot" if os.path.exists("/usr/sbin/dovecot") else None)
    if binary is None:
        pytest.skip("dovecot is not installed (apt-get install dovecot-imapd)")
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make the test certificate")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(tmp / "key.pem"), "-out", str(tmp / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    if os.getuid() == 0:
        # Dovecot refuses root for logins and mail: use the users its package creates.
        try:
            internal, login = pwd.getpwnam("dovecot"), pwd.getpwnam("dovenull")
        except KeyError:
            pytest.skip("dovecot's system users (dovecot, dovenull) are missing")
    else:
        internal = login = pwd.getpwuid(os.getuid())
    uid, gid = internal.pw_uid, internal.pw_gid
    user, group, login_user = internal.pw_name, grp.getgrgid(gid).gr_name, login.pw_name
    port = _free_port()
    for folder in ("run", "state", "mail", "home"):
        (tmp / folder).mkdir()
    for folder in ("mail", "home"):
        os.chown(tmp / folder, uid, gid)
    config = tmp / "dovecot.conf"
    config.write_text(f"""
protocols = imap
listen = 127.0.0.1
base_dir = {tmp}/run
state_dir = {tmp}/state
log_path = {tmp}/dovecot.log
info_log_path = {tmp}/dovecot.log
ssl = yes
ssl_cert = <{tmp}/cert.pem
ssl_key = <{tmp}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login{" xoauth2 oauthbearer" if oauth2_introspection_url else ""}
mail_location = maildir:{tmp}/mail/%u
first_valid_uid = {uid}
last_valid_uid = 0
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {login_user}
{_oauth2_passdb(tmp, oauth2_introspection_url)}passdb {{
  driver = static
  mechanisms = plain login
  args = password={PASSWORD}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={tmp}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service auth {{
  user = {user}
}}
service stats {{
  unix_listener stats-reader {{
    user = {user}
  }}
  unix_listener stats-writer {{
    user = {user}
  }}
}}
""")
    # The daemon keeps inherited pipes open: send its output to a file, not to run()'s pipes.
    with open(tmp / "start.log", "wb") as log:
        started = subprocess.run([binary, "-c", str(config)], stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    if started.returncode != 0:
        pytest.fail(f"dovecot did not start: {(tmp / 'start.log').read_text()}")
    try:
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield Dovecot(port=port, ca_file=str(tmp / "cert.pem"))
    finally:
        subprocess.run(
            [binary, "-c", str(config), "stop"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
