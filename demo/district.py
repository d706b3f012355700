"""The people and places of the demo district: schools, queues, categories, users.

Everything here is bulk-created, so model signals do not fire: each school's
queue and each user's profile are written explicitly instead.
"""

import functools
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User

from demo import names
from schools.models import Profile, School
from schools.roles import DIRECTOR, TECHNICIAN
from tickets.models import Category, Queue

DEMO_EMAIL_DOMAIN = "demo.district.example"
TEACHERS_PER_SCHOOL = 8
TECHNICIAN_COUNT = 12

# Sign-in names printed at the end of seeding. Every bulk user shares its role's password.
SIGN_IN = {
    "teacher": ("teacher", "demo-teacher-2026"),
    "technician": ("tech", "demo-tech-2026"),
    "director": ("director", "demo-director-2026"),
}
CAMPUS_CONTACT_PASSWORD = SIGN_IN["teacher"][1]

NETWORK_QUEUE = "Network"
ACCOUNTS_QUEUE = "Accounts & Software"

# slug: (name, in_scope, district queue name or None, responsible party, guidance, weight for tickets)
CATEGORIES: dict[str, tuple[str, bool, str | None, str, str, int]] = {
    "device": ("Computer or device", True, None, "Client Services", "", 34),
    "software": ("Software", True, ACCOUNTS_QUEUE, "Accounts & Software team", "", 12),
    "account": ("Account or password", True, ACCOUNTS_QUEUE, "Accounts & Software team", "", 16),
    "network": ("Network or Wi-Fi", True, NETWORK_QUEUE, "Network team", "", 9),
    "printer": ("Printer or copier", True, None, "Client Services; copier lease vendor for copiers", "", 12),
    "av": ("Projector, board or A/V", True, None, "Client Services", "", 11),
    "phone": ("Phone or intercom", True, None, "Telecom vendor through Client Services", "", 6),
    "home-internet": (
        "Home internet",
        False,
        None,
        "Your internet provider",
        "Contact your internet provider. Families can ask the front office about district hotspots.",
        0,
    ),
    "personal-device": (
        "Personal device",
        False,
        None,
        "The device's owner or its manufacturer",
        "The help desk supports district-owned devices only. For a personal phone or computer, "
        "contact its manufacturer or the store where you bought it.",
        0,
    ),
}

# The same in Spanish for Spanish readers (Category.*_es): slug: (name, responsible party, guidance).
CATEGORIES_ES: dict[str, tuple[str, str, str]] = {
    "device": ("Computadora o dispositivo", "Servicios al cliente", ""),
    "software": ("Programas", "Equipo de cuentas y programas", ""),
    "account": ("Cuenta o contraseña", "Equipo de cuentas y programas", ""),
    "network": ("Red o wifi", "Equipo de redes", ""),
    "printer": (
        "Impresora o fotocopiadora",
        "Servicios al cliente; la empresa que alquila las fotocopiadoras",
        "",
    ),
    "av": ("Proyector, pizarra o audio y video", "Servicios al cliente", ""),
    "phone": ("Teléfono o intercomunicador", "Empresa de telefonía a través de Servicios al cliente", ""),
    "home-internet": (
        "Internet en casa",
        "Su proveedor de internet",
        "Comuníquese con su proveedor de internet. Las familias pueden preguntar en la oficina de la escuela "
        "por los puntos de acceso del distrito.",
    ),
    "personal-device": (
        "Dispositivo personal",
        "El dueño del dispositivo o su fabricante",
        "El servicio de ayuda atiende solo los dispositivos del distrito. Para un teléfono o una computadora "
        "personal, comuníquese con el fabricante o con la tienda donde lo compró.",
    ),
}

# How big a school is, relative to an elementary school: more people, more tickets.
LEVEL_WEIGHT: dict[str, float] = {
    School.Level.ELEMENTARY: 1.0,
    School.Level.MIDDLE: 1.6,
    School.Level.HIGH: 2.6,
    School.Level.OTHER: 0.6,
}
LEVEL_LETTER = {School.Level.ELEMENTARY: "E", School.Level.MIDDLE: "M", School.Level.HIGH: "H", School.Level.OTHER: "X"}


@dataclass
class District:
    """What the ticket generator needs to know about the seeded district (ids, not objects)."""

    schools: list[School]
    school_queue: dict[int, int]
    district_queues: dict[str, Queue]
    categories: dict[str, Category]
    teachers_by_school: dict[int, list[User]]
    campus_contact: dict[int, int]
    technicians: list[User]
    director: User
    sign_in_teacher: User
    sign_in_school: School
    home_technician: dict[int, int] = field(default_factory=dict)
    queue_technicians: dict[int, list[int]] = field(default_factory=dict)


def level_mix(count: int) -> list[School.Level]:
    """About 2/3 elementary, 1/5 middle, the rest high and other (60 -> 40, 12, 6, 2)."""
    if count <= 0:
        return []
    middle = max(1, round(count * 0.2)) if count >= 3 else 0
    upper = max(1, round(count * 0.133)) if count >= 3 else 0
    other = upper // 4
    high = upper - other
    elementary = count - middle - high - other
    return (
        [School.Level.ELEMENTARY] * elementary
        + [School.Level.MIDDLE] * middle
        + [School.Level.HIGH] * high
        + [School.Level.OTHER] * other
    )


def _school_names(rng: random.Random, levels: list[School.Level]) -> list[str]:
    pools = {
        School.Level.ELEMENTARY: [f"{stem} Elementary" for stem in names.ELEMENTARY_STEMS],
        School.Level.MIDDLE: [f"{stem} Middle" for stem in names.MIDDLE_STEMS],
        School.Level.HIGH: [f"{stem} High" for stem in names.HIGH_STEMS],
        School.Level.OTHER: list(names.OTHER_SCHOOLS),
    }
    for pool in pools.values():
        rng.shuffle(pool)
    used: dict[str, int] = {}
    result = []
    for level in levels:
        pool = pools[level]
        base = pool[used.get(level, 0) % len(pool)]
        round_ = used.get(level, 0) // len(pool)
        used[level] = used.get(level, 0) + 1
        # Past the word list, districts really do number them: "Lincoln Elementary 2".
        result.append(base if round_ == 0 else f"{base} {round_ + 1}")
    return result


def _school_code(name: str, level: School.Level, taken: set[str]) -> str:
    words = [w for w in name.replace("&", " ").split() if w[0].isalpha()]
    stem = "".join(w[0] for w in words[:-1]) if len(words) > 2 else words[0][:3]
    base = f"{stem.upper()}{LEVEL_LETTER[level]}S"
    code, n = base, 2
    while code in taken:
        code, n = f"{base}{n}", n + 1
    taken.add(code)
    return code


def create_schools(rng: random.Random, count: int) -> list[School]:
    levels = level_mix(count)
    taken: set[str] = set()
    schools = []
    for name, level in zip(_school_names(rng, levels), levels, strict=True):
        address = (
            f"{rng.randrange(100, 9900)} {rng.choice(names.STREETS)} {rng.choice(names.STREET_KINDS)}, {names.CITY}"
        )
        schools.append(School(name=name, code=_school_code(name, level, taken), level=level, address=address))
    schools.sort(key=lambda s: s.name)
    return School.objects.bulk_create(schools, batch_size=1000)


def create_queues(schools: list[School]) -> tuple[dict[int, int], dict[str, Queue]]:
    """One queue per school (bulk_create skips the post_save that would make them) and the team queues."""
    school_queues = Queue.objects.bulk_create([Queue(name=s.name, school=s) for s in schools], batch_size=1000)
    district = Queue.objects.bulk_create(
        [
            Queue(name=NETWORK_QUEUE, description="Wired and wireless network, filtering, connectivity."),
            Queue(name=ACCOUNTS_QUEUE, description="Accounts, passwords, licences and software installs."),
        ]
    )
    return {s.pk: q.pk for s, q in zip(schools, school_queues, strict=True)}, {q.name: q for q in district}


def create_categories(district_queues: dict[str, Queue]) -> dict[str, Category]:
    rows = [
        Category(
            name=name,
            slug=slug,
            in_scope=in_scope,
            queue=district_queues[queue] if queue else None,
            responsible_party=party,
            guidance=guidance,
            name_es=CATEGORIES_ES[slug][0],
            responsible_party_es=CATEGORIES_ES[slug][1],
            guidance_es=CATEGORIES_ES[slug][2],
        )
        for slug, (name, in_scope, queue, party, guidance, _weight) in CATEGORIES.items()
    ]
    return {c.slug: c for c in Category.objects.bulk_create(rows)}


class _Namer:
    """first.last usernames, unique, with the fixed sign-in names reserved."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.taken = {username for username, _ in SIGN_IN.values()}

    def person(self) -> tuple[str, str, str]:
        first, last = self.rng.choice(names.FIRST_NAMES), self.rng.choice(names.LAST_NAMES)
        base = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
        username, n = base, 2
        while username in self.taken:
            username, n = f"{base}{n}", n + 1
        self.taken.add(username)
        return username, first, last


@functools.cache
def _password_hash(password: str) -> str:
    """Hashing is deliberately slow (~0.4 s): once per role and process, shared by every user of the role."""
    return make_password(password)


def _user(username: str, first: str, last: str, password_hash: str) -> User:
    return User(
        username=username,
        first_name=first,
        last_name=last,
        email=f"{username}@{DEMO_EMAIL_DOMAIN}",
        password=password_hash,
        is_active=True,
    )


def create_people(rng: random.Random, schools: list[School]) -> District:
    """Teachers (with profiles), one campus contact per school, technicians and a director."""
    hashes = {role: _password_hash(password) for role, (_username, password) in SIGN_IN.items()}
    namer = _Namer(rng)

    technicians = [_user(SIGN_IN["technician"][0], "Taylor", "Tech", hashes["technician"])]
    for _ in range(TECHNICIAN_COUNT - 1):
        technicians.append(_user(*namer.person(), hashes["technician"]))
    director = _user(SIGN_IN["director"][0], "Dana", "Director", hashes["director"])

    teacher_rows: list[tuple[User, School, str]] = []
    for index, school in enumerate(schools):
        size = max(3, round(TEACHERS_PER_SCHOOL * (0.8 + 0.4 * rng.random())))
        for n in range(size):
            if index == 0 and n == 1:
                # The sign-in teacher is an ordinary teacher, not the campus contact.
                user = _user(SIGN_IN["teacher"][0], "Terry", "Teacher", hashes["teacher"])
            else:
                user = _user(*namer.person(), hashes["teacher"])
            role = Profile.Role.ADMINISTRATOR if n == size - 1 else Profile.Role.TEACHER
            teacher_rows.append((user, school, role))

    User.objects.bulk_create([*technicians, director, *(row[0] for row in teacher_rows)], batch_size=2000)
    # bulk_create returns pks on PostgreSQL and SQLite >= 3.35; refetch so every backend works.
    by_name = dict(User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}").values_list("username", "pk"))
    for user in [*technicians, director, *(row[0] for row in teacher_rows)]:
        user.pk = user.id = by_name[user.username]

    comforts = [Profile.Comfort.NEW, Profile.Comfort.COMFORTABLE, Profile.Comfort.CONFIDENT]
    profiles = [
        Profile(
            user=user,
            school=school,
            role=role,
            room=f"Room {rng.randrange(1, 40)}" if role == Profile.Role.TEACHER else rng.choice(names.ROOMS),
            phone=f"x{rng.randrange(2000, 7999)}",
            tech_comfort=rng.choices(comforts, weights=[3, 5, 2])[0],
        )
        for user, school, role in teacher_rows
    ]
    profiles += [
        Profile(user=user, role=Profile.Role.STAFF, tech_comfort=Profile.Comfort.CONFIDENT) for user in technicians
    ]
    profiles.append(Profile(user=director, role=Profile.Role.ADMINISTRATOR, tech_comfort=Profile.Comfort.CONFIDENT))
    Profile.objects.bulk_create(profiles, batch_size=2000)

    groups = dict(Group.objects.filter(name__in=[TECHNICIAN, DIRECTOR]).values_list("name", "pk"))
    Membership = User.groups.through
    Membership.objects.bulk_create(
        [Membership(user_id=t.pk, group_id=groups[TECHNICIAN]) for t in technicians]
        + [Membership(user_id=director.pk, group_id=groups[DIRECTOR])]
    )

    teachers_by_school: dict[int, list[User]] = {s.pk: [] for s in schools}
    for user, school, _role in teacher_rows:
        teachers_by_school[school.pk].append(user)
    # The first teacher of each school is its campus contact.
    campus_contact = {school_id: people[0].pk for school_id, people in teachers_by_school.items()}
    for school in schools:
        school.campus_contact_id = campus_contact[school.pk]
    School.objects.bulk_update(schools, ["campus_contact"], batch_size=1000)

    return District(
        schools=schools,
        school_queue={},
        district_queues={},
        categories={},
        teachers_by_school=teachers_by_school,
        campus_contact=campus_contact,
        technicians=technicians,
        director=director,
        sign_in_teacher=teacher_rows[1][0],
        sign_in_school=schools[0],
    )


def assign_technicians(district: District) -> None:
    """Each school has a home technician (the relationship the district wants); two team queues get two each."""
    techs = [t.pk for t in district.technicians]
    # The documented `tech` (the first) works schools in the field, the sign-in teacher's first,
    # so signing in as `tech` shows visits on Today; the next four are the two team queues'.
    documented, others = techs[:1], techs[1:]
    network_team, accounts_team = others[:2], others[2:4]
    field_team = documented + others[4:]
    for index, school in enumerate(district.schools):
        district.home_technician[school.pk] = field_team[index % len(field_team)]
    district.queue_technicians[district.district_queues[NETWORK_QUEUE].pk] = network_team or techs
    district.queue_technicians[district.district_queues[ACCOUNTS_QUEUE].pk] = accounts_team or techs
