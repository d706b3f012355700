"""Shared by the schools page tests: a client signed in as someone."""


def logged_in(client, user):
    client.force_login(user)
    return client
