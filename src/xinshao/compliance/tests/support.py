"""People and places the compliance tests add to the test city."""
from xinshao.accounts.models import RoleAssignment, User
from xinshao.accounts.roles import Role
from xinshao.org.models import Region
from xinshao.testing import PASSWORD


def person(username: str, role: str | None = None, **scope) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, display_name=username)
    if role:
        RoleAssignment.objects.create(user=user, role=role, **scope)
    return user


def other_city_admin() -> User:
    """Hu, the bureau admin of another city: outside the test city's every unit."""
    other = Region.objects.create(code="HZ", name="杭城市", kind=Region.Kind.CITY)
    return person("hu", Role.BUREAU_ADMIN, region=other)
