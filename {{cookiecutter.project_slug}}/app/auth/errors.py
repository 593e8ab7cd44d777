"""What can go wrong when signing in, in words for the API's users."""

from app.core.errors import AuthenticationError, ServiceUnavailableError, TooManyRequestsError


class NotAuthenticated(AuthenticationError):
    detail = "Not authenticated."


class InvalidLogin(AuthenticationError):
    detail = "Incorrect e-mail or password."


class RefreshTokenReused(AuthenticationError):
    detail = "Refresh token reuse detected; please log in again."


class SessionEnded(AuthenticationError):
    detail = "This session has ended; please log in again."


class TooManyLoginAttempts(TooManyRequestsError):
    detail = "Too many failed logins; try again later."


class LoginUnavailable(ServiceUnavailableError):
    detail = "Logins are paused: failed attempts cannot be counted right now; try again shortly."
