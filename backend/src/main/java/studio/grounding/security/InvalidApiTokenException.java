package studio.grounding.security;

import org.springframework.security.core.AuthenticationException;

/** A Bearer token that is malformed, unknown, revoked or belongs to a disabled user. */
final class InvalidApiTokenException extends AuthenticationException {

    InvalidApiTokenException() {
        super("The bearer token is invalid or revoked");
    }
}
