"""What can go wrong with user accounts, in words for the API's users."""

from app.core.errors import ConflictError, NotFoundError, PermissionDeniedError


class UserNotFound(NotFoundError):
    detail = "User not found."


class EmailAlreadyRegistered(ConflictError):
    detail = "A user with this e-mail already exists."


class WrongCurrentPassword(PermissionDeniedError):
    detail = "The current password is incorrect."


class CannotDemoteSelf(ConflictError):
    detail = "Admins cannot demote or deactivate themselves."


class LastActiveAdmin(ConflictError):
    detail = "This is the last active admin; make another admin first."
