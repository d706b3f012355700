from django.http import HttpRequest

from schools.roles import is_director, is_staff_member


def roles(request: HttpRequest) -> dict[str, bool]:
    user = getattr(request, "user", None)
    if user is None:
        return {"is_staff_member": False, "is_director": False}
    return {"is_staff_member": is_staff_member(user), "is_director": is_director(user)}
