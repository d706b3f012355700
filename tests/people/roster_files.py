"""Writing small OneRoster 1.1 and plain CSV bundles for the tests."""

import csv
import zipfile
from pathlib import Path

ORG_COLUMNS = ["sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parentSourcedId"]
USER_COLUMNS = [
    "sourcedId", "status", "dateLastModified", "enabledUser", "orgSourcedIds", "role", "username",
    "userIds", "givenName", "familyName", "middleName", "identifier", "email", "sms", "phone",
    "agentSourcedIds", "grades", "password",
]  # fmt: skip


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})


def org(sourced_id: str, name: str, *, type: str = "school", identifier: str = "", **extra) -> dict:
    return {"sourcedId": sourced_id, "name": name, "type": type, "identifier": identifier, **extra}


def user(sourced_id: str, email: str, orgs: str, *, role: str = "teacher", **extra) -> dict:
    given, _, family = email.split("@")[0].partition(".")
    row = {
        "sourcedId": sourced_id,
        "enabledUser": "true",
        "orgSourcedIds": orgs,
        "role": role,
        "username": email,
        "givenName": given.title(),
        "familyName": family.title() or "Person",
        "email": email,
    }
    row.update(extra)
    return row


def oneroster(folder: Path, orgs: list[dict], users: list[dict], *, manifest: dict | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "orgs.csv", ORG_COLUMNS, orgs)
    write_csv(folder / "users.csv", USER_COLUMNS, users)
    if manifest:
        write_csv(folder / "manifest.csv", ["propertyName", "value"], [
            {"propertyName": k, "value": v} for k, v in manifest.items()
        ])  # fmt: skip
    return folder


def zipped(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for file in folder.iterdir():
            archive.write(file, f"roster/{file.name}")
    return target


def district(n_schools: int, n_people: int) -> tuple[list[dict], list[dict]]:
    """A district org, n schools, and n people spread over them, plus students to skip."""
    orgs = [org("district-1", "Unified School District", type="district")]
    orgs += [org(f"org-{i}", f"School {i} Elementary", identifier=f"E{i:03d}") for i in range(n_schools)]
    users = [
        user(f"u-{i}", f"first{i}.last{i}@district.example", f"district-1,org-{i % n_schools}") for i in range(n_people)
    ]
    users += [user("student-1", "kid@students.district.example", "org-0", role="student")]
    return orgs, users
