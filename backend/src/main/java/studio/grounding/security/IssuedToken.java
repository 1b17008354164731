package studio.grounding.security;

/**
 * A newly issued API token. The plaintext is shown to its owner once and never stored: the platform keeps only
 * its SHA-256.
 *
 * @param info      the stored token
 * @param plaintext the token to send as {@code Authorization: Bearer <plaintext>}
 */
public record IssuedToken(ApiTokenInfo info, String plaintext) {

    @Override
    public String toString() {
        return "IssuedToken[info=" + info + ", plaintext=(hidden)]";
    }
}
