package studio.grounding.security;

/** A user name that has no account. */
public class UnknownUserException extends RuntimeException {

    public UnknownUserException(String username) {
        super("No user named \"" + username + "\"");
    }
}
