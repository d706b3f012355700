"""A real OpenSSH server on 127.0.0.1 for the roster's SFTP fetch: `sftp_server` starts Debian's
sshd with a throw-away configuration, host key and client key (internal-sftp, keys only), and
stops it after the module. Without sshd (`apt-get install openssh-server`) the tests are skipped."""

import getpass
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"


@dataclass(frozen=True)
class SftpServer:
    port: int
    user: str
    key_file: Path  # the client's private key, authorized on the server
    known_hosts: Path  # the server's host key, as the desk must be told it
    other_key: Path  # a key the server does not know
    folder: Path  # where the tests put the SIS's files (the server reads the real file system)

    def url(self, path: Path | str) -> str:
        return f"sftp://{self.user}@127.0.0.1:{self.port}{path}"


def _keygen(path: Path) -> None:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def sftp_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SftpServer]:
    if not os.path.exists(SSHD) or not shutil.which("ssh-keygen"):
        pytest.skip("the SFTP tests need OpenSSH's sshd (apt-get install openssh-server)")
    home = tmp_path_factory.mktemp("sshd")
    for name in ("host", "client", "stranger"):
        _keygen(home / name)
    (home / "authorized_keys").write_text((home / "client.pub").read_text())
    port = _free_port()
    host_key = (home / "host.pub").read_text().split()
    (home / "known_hosts").write_text(f"[127.0.0.1]:{port} {host_key[0]} {host_key[1]}\n")
    config = home / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {home / 'host'}\nPidFile {home / 'sshd.pid'}\n"
        f"AuthorizedKeysFile {home / 'authorized_keys'}\nPasswordAuthentication no\n"
        "KbdInteractiveAuthentication no\nPubkeyAuthentication yes\nPermitRootLogin prohibit-password\n"
        "StrictModes no\nUsePAM no\nSubsystem sftp internal-sftp\nLogLevel ERROR\n"
    )
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege-separation folder
    server = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 15
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as probe:
                if probe.recv(4).startswith(b"SSH-"):
                    break
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise RuntimeError(f"sshd did not start: {server.stderr.read().decode() if server.stderr else ''}")
        time.sleep(0.1)
    folder = home / "sis"
    folder.mkdir()
    try:
        yield SftpServer(
            port=port,
            user=getpass.getuser(),
            key_file=home / "client",
            known_hosts=home / "known_hosts",
            other_key=home / "stranger",
            folder=folder,
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
