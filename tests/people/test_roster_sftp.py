"""The hourly roster import fetching the SIS's export from a real SFTP server (OpenSSH on
127.0.0.1, tests/people/sftp_server.py): a folder or a .zip, only a known server, whole copies
only, and every refusal in plain words on /people/import/ once while it lasts."""

from pathlib import Path

import paramiko
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from people.models import RosterImport
from people.roster import sftp
from people.tasks import scheduled_roster_import
from tests.people.roster_files import district, oneroster, zipped
from tests.people.sftp_server import SftpServer, sftp_server  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def drop(sftp_server: SftpServer, tmp_path: Path, settings) -> SftpServer:  # noqa: F811
    """The SIS's folder on the server holds a OneRoster export of 2 schools and 5 people;
    the desk fetches it into its own folder."""
    remote = sftp_server.folder / tmp_path.name
    oneroster(remote, *district(2, 5))
    settings.ROSTER_SFTP_URL = sftp_server.url(remote)
    settings.ROSTER_SFTP_KEY_FILE = str(sftp_server.key_file)
    settings.ROSTER_SFTP_KNOWN_HOSTS = str(sftp_server.known_hosts)
    settings.ROSTER_SFTP_PASSWORD = ""
    settings.ROSTER_IMPORT_PATH = str(tmp_path / "fetched")
    return sftp_server


def refusal() -> str:
    run = RosterImport.objects.get()
    assert run.status == RosterImport.Status.REFUSED
    return run.errors[0]


def test_a_folder_on_the_server_is_fetched_and_imported_then_left_alone_while_unchanged(drop, settings):
    fetched = Path(settings.ROSTER_IMPORT_PATH)
    (drop.folder / fetched.parent.name / "notes.txt").write_text("not a roster")
    assert scheduled_roster_import() == "applied"
    # Only the CSV files come over, as they are on the server.
    assert sorted(p.name for p in fetched.iterdir()) == ["orgs.csv", "users.csv"]
    assert (fetched / "users.csv").read_bytes() == (drop.folder / fetched.parent.name / "users.csv").read_bytes()
    assert User.objects.filter(roster_link__isnull=False).count() == 5
    assert scheduled_roster_import() == "unchanged" and RosterImport.objects.count() == 1


def test_a_zip_on_the_server_is_fetched_as_a_zip(drop, settings, tmp_path):
    remote = zipped(
        oneroster(drop.folder / f"{tmp_path.name}-z", *district(1, 3)), drop.folder / f"{tmp_path.name}.zip"
    )
    settings.ROSTER_SFTP_URL = drop.url(remote)
    settings.ROSTER_IMPORT_PATH = str(tmp_path / "fetched.zip")
    assert scheduled_roster_import() == "applied"
    assert Path(settings.ROSTER_IMPORT_PATH).read_bytes() == remote.read_bytes()
    assert User.objects.filter(roster_link__isnull=False).count() == 3


def test_a_server_not_in_known_hosts_is_refused_and_said_once(drop, settings, tmp_path):
    empty = tmp_path / "known_hosts"
    empty.write_text("")
    settings.ROSTER_SFTP_KNOWN_HOSTS = str(empty)
    assert scheduled_roster_import() == "refused"
    assert refusal() == "127.0.0.1 is not in ROSTER_SFTP_KNOWN_HOSTS, so it is not trusted; nothing was fetched."
    assert not Path(settings.ROSTER_IMPORT_PATH).exists() and not User.objects.filter(roster_link__isnull=False)
    # The next hour, the same refusal is not recorded again.
    assert scheduled_roster_import() == "unchanged" and RosterImport.objects.count() == 1


def test_a_server_answering_with_another_key_is_refused(drop, settings, tmp_path):
    stranger = (Path(str(drop.other_key) + ".pub")).read_text().split()
    impostor = tmp_path / "known_hosts"
    impostor.write_text(f"[127.0.0.1]:{drop.port} {stranger[0]} {stranger[1]}\n")
    settings.ROSTER_SFTP_KNOWN_HOSTS = str(impostor)
    assert scheduled_roster_import() == "refused"
    assert "answered with a different key" in refusal()


def test_a_key_the_server_does_not_accept_is_refused(drop, settings):
    settings.ROSTER_SFTP_KEY_FILE = str(drop.other_key)
    assert scheduled_roster_import() == "refused"
    assert refusal() == "127.0.0.1 refused the help desk's SFTP sign-in."


def test_a_server_that_is_down_is_said_in_plain_words(drop, settings):
    settings.ROSTER_SFTP_URL = settings.ROSTER_SFTP_URL.replace(f":{drop.port}/", ":1/")
    assert scheduled_roster_import() == "refused"
    assert refusal().startswith("127.0.0.1 could not be reached")


def test_a_missing_folder_and_a_folder_without_csv_files_are_refused(drop, settings):
    settings.ROSTER_SFTP_URL = drop.url(drop.folder / "nothing-here")
    assert scheduled_roster_import() == "refused"
    assert "nothing-here is not on the SFTP server" in refusal()
    empty = drop.folder / "empty"
    empty.mkdir(exist_ok=True)
    (empty / "readme.txt").write_text("not a roster")
    settings.ROSTER_SFTP_URL = drop.url(empty)
    assert scheduled_roster_import() == "refused"
    assert "There are no CSV files in" in RosterImport.objects.first().errors[0]


def test_a_file_over_the_limit_is_not_fetched(drop, settings, monkeypatch):
    monkeypatch.setattr(sftp, "MAX_FILE_BYTES", 10)
    assert scheduled_roster_import() == "refused"
    assert "is larger than" in refusal()
    assert not Path(settings.ROSTER_IMPORT_PATH).exists()


def test_a_copy_cut_off_half_way_leaves_the_last_whole_roster_in_place(drop, settings, monkeypatch):
    assert scheduled_roster_import() == "applied"
    fetched = Path(settings.ROSTER_IMPORT_PATH)
    before = {p.name: p.read_bytes() for p in fetched.iterdir()}
    # The SIS writes tonight's export; the connection drops after the first file.
    remote = Path(settings.ROSTER_SFTP_URL.split(f":{drop.port}", 1)[1])
    orgs, users = district(2, 5)
    oneroster(remote, orgs, users[2:])
    real_get, calls = paramiko.SFTPClient.get, []

    def flaky_get(self, remotepath, localpath, *args, **kwargs):
        calls.append(remotepath)
        if len(calls) == 2:
            raise OSError("Connection reset by peer")
        return real_get(self, remotepath, localpath, *args, **kwargs)

    monkeypatch.setattr(paramiko.SFTPClient, "get", flaky_get)
    assert scheduled_roster_import() == "refused"
    assert "The copy from the SFTP server stopped (Connection reset by peer)" in RosterImport.objects.first().errors[0]
    assert {p.name: p.read_bytes() for p in fetched.iterdir()} == before
    assert not any(p.name.startswith(".") for p in fetched.parent.iterdir())  # no half copy left behind
    assert User.objects.filter(roster_link__isnull=False, is_active=True).count() == 5


# --- settings that cannot work stop start-up ---------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"ROSTER_SFTP_URL": "ftp://sis.example/roster"}, "ROSTER_SFTP_URL must read sftp://user@host"),
        ({"ROSTER_SFTP_URL": "sftp://u:secret@sis.example/r.zip"}, "not in ROSTER_SFTP_URL"),
        ({"ROSTER_SFTP_KNOWN_HOSTS": ""}, "ROSTER_SFTP_KNOWN_HOSTS must name a known_hosts file"),
        ({"ROSTER_SFTP_KEY_FILE": "", "ROSTER_SFTP_PASSWORD": ""}, "Set ROSTER_SFTP_KEY_FILE"),
        ({"ROSTER_IMPORT_PATH": ""}, "ROSTER_IMPORT_PATH must name where"),
        ({"ROSTER_IMPORT_PATH": "/srv/roster"}, "must be a .zip when ROSTER_SFTP_URL is"),
        ({"ROSTER_SFTP_URL": "sftp://u@sis.example:port/r.zip"}, "port that is not a number"),
    ],
    ids=["scheme", "password-in-url", "known-hosts", "no-credential", "no-local-path", "zip-vs-folder", "port"],
)
def test_settings_that_cannot_work_fail_the_system_check(settings, changes, said):
    settings.ROSTER_SFTP_URL = "sftp://helpdesk@sis.example/exports/oneroster.zip"
    settings.ROSTER_SFTP_KEY_FILE = "/run/secrets/key"
    settings.ROSTER_SFTP_PASSWORD = ""
    settings.ROSTER_SFTP_KNOWN_HOSTS = "/run/secrets/known_hosts"
    settings.ROSTER_IMPORT_PATH = "/srv/roster/oneroster.zip"
    assert sftp.check_settings() == []
    for name, value in changes.items():
        setattr(settings, name, value)
    [error] = sftp.check_settings()
    assert said in error.msg and error.id == "people.E001"
    with pytest.raises(SystemCheckError):
        call_command("check")


def test_unset_means_no_fetch_and_no_check(settings):
    settings.ROSTER_SFTP_URL = ""
    settings.ROSTER_IMPORT_PATH = ""
    assert sftp.check_settings() == []
    assert scheduled_roster_import() == "unchanged" and not RosterImport.objects.exists()
