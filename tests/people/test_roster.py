"""import_roster: OneRoster 1.1 and plain CSV bundles, all or nothing, keyed by sourcedId."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from people.models import PersonRosterLink, SchoolRosterLink
from people.roster import RosterInvalid, import_roster
from schools.models import School
from tests import factories
from tests.people.roster_files import district, oneroster, org, user, write_csv, zipped
from tickets.models import Queue

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_oneroster_bundle_makes_schools_with_queues_and_requesters(tmp_path):
    orgs, users = district(2, 3)
    users.append(user("adm-1", "boss.lady@district.example", "org-1", role="administrator"))
    users.append(user("aide-1", "helper.one@district.example", "org-0", role="aide"))
    plan = import_roster(oneroster(tmp_path / "r", orgs, users))
    assert (len(plan.new_schools), len(plan.new_people)) == (2, 5)
    school = School.objects.get(code="E001")
    assert school.name == "School 1 Elementary" and school.level == "elementary"
    assert Queue.objects.filter(school=school).exists()
    person = User.objects.get(email="first1.last1@district.example")
    assert person.profile.school == school  # first orgSourcedIds that is a school
    assert not person.has_usable_password() and person.is_active and not person.groups.exists()
    assert User.objects.get(email="boss.lady@district.example").profile.role == "administrator"
    assert User.objects.get(email="helper.one@district.example").profile.role == "staff"
    assert not User.objects.filter(email__startswith="kid").exists()  # students are skipped
    assert SchoolRosterLink.objects.count() == 2 and PersonRosterLink.objects.count() == 5


def test_code_falls_back_to_sourced_id(tmp_path):
    import_roster(oneroster(tmp_path / "r", [org("ABC-9", "Hill High")], []))
    assert School.objects.get(code="ABC-9").level == "high"


def test_second_run_changes_nothing(tmp_path):
    orgs, users = district(3, 20)
    bundle = oneroster(tmp_path / "r", orgs, users)
    import_roster(bundle)
    before = list(User.objects.order_by("pk").values())
    plan = import_roster(bundle)
    assert not plan.has_changes and plan.unchanged_people == 20
    assert list(User.objects.order_by("pk").values()) == before


def test_changes_are_applied_by_sourced_id(tmp_path):
    orgs, users = district(2, 2)
    import_roster(oneroster(tmp_path / "a", orgs, users))
    users[0].update(familyName="Married", email="new.name@district.example", orgSourcedIds="org-1")
    orgs[1]["name"] = "School 0 Renamed Elementary"
    plan = import_roster(oneroster(tmp_path / "b", orgs, users))
    assert len(plan.changed_people) == 1 and len(plan.changed_schools) == 1
    person = PersonRosterLink.objects.get(sourced_id="u-0").user
    assert (person.last_name, person.email, person.profile.school.code) == (
        "Married",
        "new.name@district.example",
        "E001",
    )
    assert School.objects.filter(name="School 0 Renamed Elementary").exists()


def test_leavers_are_deactivated_never_deleted_and_keep_tickets(tmp_path, category):
    orgs, users = district(1, 3)
    import_roster(oneroster(tmp_path / "a", orgs, users))
    leaver = PersonRosterLink.objects.get(sourced_id="u-2").user
    ticket = factories.TicketFactory(requester=leaver, category=category)
    marked = PersonRosterLink.objects.get(sourced_id="u-1").user
    users[1]["status"] = "tobedeleted"
    plan = import_roster(oneroster(tmp_path / "b", orgs, users[:2]))
    assert sorted(leaver.label for leaver in plan.leavers) == sorted([leaver.email, marked.email])
    leaver.refresh_from_db()
    marked.refresh_from_db()
    assert not leaver.is_active and not marked.is_active
    ticket.refresh_from_db()
    assert ticket.requester == leaver
    # They come back: reactivated by the same key.
    import_roster(oneroster(tmp_path / "c", orgs, users[:1] + [users[2]]))
    leaver.refresh_from_db()
    assert leaver.is_active


def test_people_outside_the_roster_are_left_alone(tmp_path, technician, teacher):
    orgs, users = district(1, 1)
    plan = import_roster(oneroster(tmp_path / "r", orgs, users))
    assert plan.leavers == []
    technician.refresh_from_db()
    assert technician.is_active and teacher.is_active


def test_delta_bundle_does_not_deactivate_the_unnamed(tmp_path):
    orgs, users = district(1, 2)
    import_roster(oneroster(tmp_path / "a", orgs, users))
    plan = import_roster(oneroster(tmp_path / "b", orgs, users[:1], manifest={"file.users": "delta"}))
    assert plan.leavers == []


def test_existing_person_is_matched_by_email_ignoring_case(tmp_path, teacher):
    orgs, users = district(1, 0)
    users = [user("u-x", teacher.email.upper(), "org-0")]
    plan = import_roster(oneroster(tmp_path / "r", orgs, users))
    assert plan.new_people == [] and len(plan.changed_people) == 1
    assert PersonRosterLink.objects.get(sourced_id="u-x").user == teacher
    assert User.objects.filter(email__iexact=teacher.email).count() == 1


def test_existing_school_is_matched_by_code(tmp_path, school):
    plan = import_roster(oneroster(tmp_path / "r", [org("o-1", school.name, identifier=school.code)], []))
    assert plan.new_schools == []
    assert SchoolRosterLink.objects.get(sourced_id="o-1").school == school


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda orgs, users: users[1].update(sourcedId="u-0"), "users.csv, line 3: sourcedId 'u-0' repeats line 2"),
        (lambda orgs, users: users[1].update(email="not-an-email"), "users.csv, line 3: 'not-an-email' is not"),
        (lambda orgs, users: users[0].update(orgSourcedIds="nowhere"), "users.csv, line 2: orgSourcedIds names"),
        (lambda orgs, users: users[1].update(email=users[0]["email"]), "users.csv, line 3: first0.last0@"),
        (lambda orgs, users: orgs[2].update(sourcedId="org-0"), "orgs.csv, line 4: sourcedId 'org-0' repeats"),
    ],
)
def test_any_invalid_row_changes_nothing_and_names_file_and_line(tmp_path, mutate, expected):
    orgs, users = district(2, 3)
    mutate(orgs, users)
    with pytest.raises(RosterInvalid) as error:
        import_roster(oneroster(tmp_path / "r", orgs, users))
    assert any(str(e).startswith(expected) for e in error.value.errors), error.value.errors
    assert not School.objects.exists() and not PersonRosterLink.objects.exists()


def test_missing_column_is_an_error_on_line_1(tmp_path):
    folder = tmp_path / "r"
    folder.mkdir()
    write_csv(folder / "orgs.csv", ["sourcedId", "name", "type"], [])
    write_csv(folder / "users.csv", ["sourcedId", "role"], [])
    with pytest.raises(RosterInvalid) as error:
        import_roster(folder)
    assert str(error.value.errors[0]).startswith("users.csv, line 1: missing column(s): orgSourcedIds")


def test_command_reads_a_zip_and_dry_run_changes_nothing(tmp_path, capsys):
    orgs, users = district(1, 2)
    archive = zipped(oneroster(tmp_path / "r", orgs, users), tmp_path / "roster.zip")
    call_command("import_roster", str(archive), "--dry-run")
    out = capsys.readouterr().out
    assert "new person: first0.last0@district.example" in out and "dry run, nothing changed" in out
    assert not User.objects.exists()
    call_command("import_roster", str(archive))
    assert User.objects.count() == 2


def test_command_exits_non_zero_naming_the_line(tmp_path, capsys):
    orgs, users = district(1, 2)
    users[1]["email"] = "bad"
    with pytest.raises(CommandError):
        call_command("import_roster", str(oneroster(tmp_path / "r", orgs, users)))
    assert "users.csv, line 3" in capsys.readouterr().err
    assert not User.objects.exists()


def test_plain_csv_bundle(tmp_path, school):
    folder = tmp_path / "plain"
    folder.mkdir()
    write_csv(
        folder / "schools.csv", ["code", "name", "level"], [{"code": "MMS", "name": "Mesa Middle", "level": "middle"}]
    )
    write_csv(
        folder / "people.csv",
        ["email", "first_name", "last_name", "role", "school"],
        [
            {"email": "a.b@district.example", "first_name": "A", "last_name": "B", "role": "teacher", "school": "mms"},
            {
                "email": "c.d@district.example",
                "first_name": "C",
                "last_name": "D",
                "role": "staff",
                "school": school.code,
            },
        ],
    )
    import_roster(folder)
    assert User.objects.get(email="a.b@district.example").profile.school.code == "MMS"
    assert User.objects.get(email="c.d@district.example").profile.school == school
    assert not import_roster(folder).has_changes
    write_csv(folder / "people.csv", ["email", "first_name", "last_name", "role", "school"], [
        {"email": "x@district.example", "first_name": "X", "last_name": "Y", "role": "wizard", "school": "MMS"},
    ])  # fmt: skip
    with pytest.raises(RosterInvalid) as error:
        import_roster(folder)
    assert str(error.value.errors[0]).startswith("people.csv, line 2: role must be")


def test_queries_stay_constant_per_batch_of_people(tmp_path):
    """50 and 900 new people take the same queries: one batch each, whatever its size."""
    counts = []
    for n in (50, 900):
        orgs, users = district(3, n)
        users = [dict(u, sourcedId=f"{n}-{u['sourcedId']}", email=f"{n}.{u['email']}") for u in users]
        orgs = [dict(o, sourcedId=f"{n}-{o['sourcedId']}", identifier=f"{n}{o['identifier']}") for o in orgs]
        users = [dict(u, orgSourcedIds=",".join(f"{n}-{x}" for x in u["orgSourcedIds"].split(","))) for u in users]
        with transaction.atomic():  # each run starts from the same empty district
            with CaptureQueriesContext(connection) as queries:
                import_roster(oneroster(tmp_path / str(n), orgs, users))
            assert User.objects.count() == n
            transaction.set_rollback(True)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_five_thousand_people_import_and_reimport(tmp_path):
    orgs, users = district(60, 5000)
    bundle = oneroster(tmp_path / "big", orgs, users)
    with CaptureQueriesContext(connection) as queries:
        plan = import_roster(bundle)
    assert len(plan.new_people) == 5000 and User.objects.filter(is_active=True).count() == 5000
    # Schools one by one (each with its queue), people in five batches of 1,000.
    assert len(queries) < 60 * 12 + 5 * 6 + 20
    with CaptureQueriesContext(connection) as queries:
        plan = import_roster(bundle)
    assert not plan.has_changes and len(queries) < 15
    assert School.objects.get(code="E059").people.count() == 5000 // 60
