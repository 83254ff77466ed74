from appraisal.roles import all_roles


def user_roles(request):
    """The current user's roles (in any organisation), for the navigation."""
    return {"user_roles": all_roles(request.user)}
