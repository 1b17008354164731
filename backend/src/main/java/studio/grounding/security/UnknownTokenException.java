package studio.grounding.security;

/** An API token id that does not exist or does not belong to the user. */
public class UnknownTokenException extends RuntimeException {

    public UnknownTokenException(long tokenId) {
        super("No API token #" + tokenId + " of yours");
    }
}
