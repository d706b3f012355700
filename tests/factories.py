"""factory_boy factories. Tickets are built through the service, so they follow the rules."""

import factory
from django.contrib.auth.models import Group, User

from schools.models import Profile, School
from tickets import services
from tickets.models import Category, Queue, Ticket


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Lincoln Elementary {n}")
    code = factory.Sequence(lambda n: f"S{n:03d}")
    level = School.Level.ELEMENTARY
    address = factory.Sequence(lambda n: f"{100 + n} Main St")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@district.example")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def profile(self, create: bool, extracted: object, **kwargs: object) -> None:
        if not create:
            return
        self.save()
        if kwargs:
            Profile.objects.filter(user=self).update(**kwargs)
            self.profile.refresh_from_db()

    @factory.post_generation
    def groups(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create and extracted:
            for name in extracted:
                self.groups.add(Group.objects.get_or_create(name=name)[0])


class TechnicianFactory(UserFactory):
    username = factory.Sequence(lambda n: f"tech{n}")
    groups = factory.PostGeneration(
        lambda user, create, extracted, **kw: (
            create and user.groups.add(Group.objects.get_or_create(name="technician")[0])
        )
    )


class DirectorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"director{n}")
    groups = factory.PostGeneration(
        lambda user, create, extracted, **kw: (
            create and user.groups.add(Group.objects.get_or_create(name="director")[0])
        )
    )


class QueueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Queue

    name = factory.Sequence(lambda n: f"District team {n}")
    school = None


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Device {n}")
    slug = factory.Sequence(lambda n: f"device-{n}")
    in_scope = True
    queue = None
    responsible_party = "Client Services"


class TicketFactory(factory.django.DjangoModelFactory):
    """Creates through services.create_ticket: priority, queue, event and email as in real life."""

    class Meta:
        model = Ticket

    title = factory.Sequence(lambda n: f"Projector {n} will not turn on")
    description = "The lamp light blinks orange and nothing shows on the board."
    category = factory.SubFactory(CategoryFactory)
    impact = "medium"
    urgency = "medium"
    requester = factory.SubFactory(UserFactory, profile__school=factory.SubFactory(SchoolFactory))
    school = None

    @classmethod
    def _create(cls, model_class: type, *args: object, **kwargs: object) -> Ticket:
        requester = kwargs.pop("requester")
        actor = kwargs.pop("actor", None) or requester
        return services.create_ticket(actor=actor, requester=requester, **kwargs)


class AssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "devices.Asset"

    tag = factory.Sequence(lambda n: f"OKC-{n:05d}")
    serial = factory.Sequence(lambda n: f"5CD{n:07d}")
    kind = "chromebook"
    model = "Dell Chromebook 3110"
    school = factory.SubFactory(SchoolFactory)
