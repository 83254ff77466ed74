from appraisal.roles import role_map


def user_roles(request):
    """The current user's roles (in any organisation), for the navigation."""
    held: set[str] = set()
    for organisation_roles in role_map(request.user).values():
        held |= organisation_roles
    return {"user_roles": held}
