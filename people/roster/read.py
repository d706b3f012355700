"""Reading roster files into plain rows. Nothing here touches the database.

Two shapes are read, from a folder or a .zip:
- OneRoster 1.1 CSV: `orgs.csv` (orgs of type `school`) and `users.csv` (teacher,
  administrator and aide become people; students and guardians are skipped).
- Plain CSV, for districts without OneRoster: `schools.csv` (`code, name`, optional
  `level, address`) and `people.csv` (`email, first_name, last_name, role, school`,
  `role` one of teacher, administrator, staff, aide; `school` one or more codes
  separated by `;` or `,`, the first being the home school).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

ONEROSTER_STAFF_ROLES = {"teacher": "teacher", "administrator": "administrator", "aide": "staff"}
PLAIN_ROLES = {"teacher": "teacher", "administrator": "administrator", "staff": "staff", "aide": "staff"}
LEVEL_WORDS = (("elementary", "elementary"), ("primary", "elementary"), ("middle", "middle"), ("high", "high"))
MAX_FILE_BYTES = 100 * 1024 * 1024


@dataclass(frozen=True)
class RowError:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}, line {self.line}: {self.message}"


@dataclass
class SchoolRow:
    sourced_id: str
    name: str
    code: str
    level: str
    address: str = ""
    line: int = 0


@dataclass
class PersonRow:
    sourced_id: str
    username: str
    email: str
    first_name: str
    last_name: str
    role: str  # the profile's role: teacher, administrator, staff
    school_sourced_id: str | None
    active: bool
    file: str = "users.csv"
    line: int = 0


@dataclass
class Bundle:
    kind: str  # "oneroster" or "plain"
    schools: list[SchoolRow] = field(default_factory=list)
    people: list[PersonRow] = field(default_factory=list)
    # sourcedIds the roster names as leaving (status tobedeleted): deactivated if known.
    leaving: set[str] = field(default_factory=set)
    # A OneRoster delta bundle (manifest.csv `file.users,delta`) lists changes only:
    # people it does not name stay as they are.
    delta: bool = False
    errors: list[RowError] = field(default_factory=list)


def guess_level(name: str) -> str:
    lowered = name.lower()
    for word, level in LEVEL_WORDS:
        if word in lowered:
            return level
    return "other"


def _files_of(path: Path | IO[bytes]) -> dict[str, bytes]:
    """The CSV files of a folder or a zip (by lower-case base name)."""
    if isinstance(path, Path) and path.is_dir():
        return {f.name.lower(): f.read_bytes() for f in path.iterdir() if f.suffix.lower() == ".csv"}
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ValueError("The roster must be a folder or a .zip of CSV files.") from exc
    files = {}
    with archive:
        for info in archive.infolist():
            name = info.filename.rsplit("/", 1)[-1].lower()
            if name.endswith(".csv") and not info.is_dir():
                if info.file_size > MAX_FILE_BYTES:
                    raise ValueError(f"{name} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.")
                files[name] = archive.read(info)
    return files


def _rows(name: str, data: bytes, required: Iterable[str], errors: list[RowError]) -> Iterator[tuple[int, dict]]:
    """Each row as a dict of stripped values with its line number; a missing column is one error."""
    text = data.decode("utf-8-sig", errors="replace")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = {c.strip() for c in reader.fieldnames or []}
    missing = [c for c in required if c not in columns]
    if missing:
        errors.append(RowError(name, 1, f"missing column(s): {', '.join(missing)}"))
        return
    for row in reader:
        values = {(k or "").strip(): (v or "").strip() if isinstance(v, str) else "" for k, v in row.items()}
        yield reader.line_num, values


def _clean_email(value: str, name: str, line: int, errors: list[RowError]) -> str:
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        errors.append(RowError(name, line, f"{value!r} is not an email address"))
        return ""
    return value


def _split_ids(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;,]", value) if part.strip()]


def read_bundle(path: Path | IO[bytes]) -> Bundle:
    files = _files_of(path)
    if "orgs.csv" in files and "users.csv" in files:
        return _read_oneroster(files)
    if "people.csv" in files:
        return _read_plain(files)
    bundle = Bundle(kind="unknown")
    bundle.errors.append(
        RowError("(bundle)", 0, "no orgs.csv and users.csv (OneRoster) nor schools.csv and people.csv (plain CSV)")
    )
    return bundle


def _read_oneroster(files: dict[str, bytes]) -> Bundle:
    bundle = Bundle(kind="oneroster")
    errors = bundle.errors
    if "manifest.csv" in files:
        for _line, row in _rows("manifest.csv", files["manifest.csv"], ("propertyName", "value"), errors):
            if row["propertyName"] == "file.users" and row["value"].lower() == "delta":
                bundle.delta = True
    seen: dict[str, int] = {}
    all_orgs: set[str] = set()
    for line, row in _rows("orgs.csv", files["orgs.csv"], ("sourcedId", "name", "type"), errors):
        all_orgs.add(row["sourcedId"])
        if row.get("type", "").lower() != "school" or row.get("status", "").lower() == "tobedeleted":
            continue
        sourced_id, name = row["sourcedId"], row["name"]
        if not sourced_id or not name:
            errors.append(RowError("orgs.csv", line, "a school needs sourcedId and name"))
            continue
        if sourced_id in seen:
            errors.append(RowError("orgs.csv", line, f"sourcedId {sourced_id!r} repeats line {seen[sourced_id]}"))
            continue
        seen[sourced_id] = line
        code = (row.get("identifier") or sourced_id)[:20]
        bundle.schools.append(SchoolRow(sourced_id, name[:200], code, guess_level(name), line=line))
    schools = {s.sourced_id for s in bundle.schools}

    seen = {}
    required = ("sourcedId", "orgSourcedIds", "role", "givenName", "familyName", "email")
    for line, row in _rows("users.csv", files["users.csv"], required, errors):
        role = row["role"].lower()
        if role not in ONEROSTER_STAFF_ROLES:
            continue  # students, guardians, parents: not help desk users
        sourced_id = row["sourcedId"]
        if not sourced_id:
            errors.append(RowError("users.csv", line, "sourcedId is empty"))
            continue
        if sourced_id in seen:
            errors.append(RowError("users.csv", line, f"sourcedId {sourced_id!r} repeats line {seen[sourced_id]}"))
            continue
        seen[sourced_id] = line
        if row.get("status", "").lower() == "tobedeleted":
            bundle.leaving.add(sourced_id)
            continue
        orgs = _split_ids(row["orgSourcedIds"])
        unknown = [org for org in orgs if org not in all_orgs]
        if unknown:
            errors.append(RowError("users.csv", line, f"orgSourcedIds names {unknown[0]!r}, which orgs.csv lacks"))
            continue
        # The first org that is a school is home (the first may be the district itself).
        school = next((org for org in orgs if org in schools), None)
        email = _clean_email(row["email"], "users.csv", line, errors)
        bundle.people.append(
            PersonRow(
                sourced_id=sourced_id,
                username=(row.get("username") or email or sourced_id)[:150],
                email=email,
                first_name=row["givenName"][:150],
                last_name=row["familyName"][:150],
                role=ONEROSTER_STAFF_ROLES[role],
                school_sourced_id=school,
                active=row.get("enabledUser", "true").lower() not in ("false", "0", "no"),
                file="users.csv",
                line=line,
            )
        )
    return bundle


def _read_plain(files: dict[str, bytes]) -> Bundle:
    bundle = Bundle(kind="plain")
    errors = bundle.errors
    seen: dict[str, int] = {}
    if "schools.csv" in files:
        for line, row in _rows("schools.csv", files["schools.csv"], ("code", "name"), errors):
            code, name = row["code"], row["name"]
            if not code or not name:
                errors.append(RowError("schools.csv", line, "a school needs code and name"))
                continue
            if len(code) > 20:
                errors.append(RowError("schools.csv", line, f"code {code!r} is longer than 20 characters"))
                continue
            if code.lower() in seen:
                errors.append(RowError("schools.csv", line, f"code {code!r} repeats line {seen[code.lower()]}"))
                continue
            seen[code.lower()] = line
            level = row.get("level", "").lower() or guess_level(name)
            if level not in ("elementary", "middle", "high", "other"):
                errors.append(RowError("schools.csv", line, "level must be elementary, middle, high or other"))
                continue
            bundle.schools.append(SchoolRow(code, name[:200], code, level, row.get("address", "")[:300], line=line))

    seen = {}
    required = ("email", "first_name", "last_name", "role", "school")
    for line, row in _rows("people.csv", files["people.csv"], required, errors):
        email = _clean_email(row["email"], "people.csv", line, errors)
        if not row["email"]:
            errors.append(RowError("people.csv", line, "email is empty"))
            continue
        if not email:
            continue
        key = email.lower()
        if key in seen:
            errors.append(RowError("people.csv", line, f"{email} repeats line {seen[key]}"))
            continue
        seen[key] = line
        role = PLAIN_ROLES.get(row["role"].lower())
        if role is None:
            errors.append(RowError("people.csv", line, "role must be teacher, administrator, staff or aide"))
            continue
        codes = _split_ids(row["school"])
        active = row.get("active", "true").lower() not in ("false", "0", "no")
        bundle.people.append(
            PersonRow(
                sourced_id=f"email:{key}",
                username=email[:150],
                email=email,
                first_name=row["first_name"][:150],
                last_name=row["last_name"][:150],
                role=role,
                # Plain CSV names schools by code; the plan resolves codes to schools.
                school_sourced_id=codes[0] if codes else None,
                active=active,
                file="people.csv",
                line=line,
            )
        )
    return bundle


def bundle_checksum(path: Path | IO[bytes]) -> str:
    """SHA-256 of the bundle's CSV files (names and contents), so the same roster zipped
    again, or the same folder, gives the same checksum."""
    digest = hashlib.sha256()
    for name, data in sorted(_files_of(path).items()):
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def zip_of(files: dict[str, bytes]) -> bytes:
    """A bundle as zip bytes (how an upload of the plain CSV pair, or a folder, is kept)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files.items()):
            archive.writestr(name, data)
    return buffer.getvalue()


def bundle_bytes(path: Path) -> bytes:
    """A folder's CSV files as zip bytes, or a zip file's own bytes."""
    if path.is_dir():
        return zip_of(_files_of(path))
    return path.read_bytes()
