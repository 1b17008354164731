package studio.grounding.security;

import java.time.OffsetDateTime;

/**
 * An API token as its owner sees it: never the token itself, only its display prefix.
 *
 * @param id         database id (to revoke it)
 * @param name       what the owner called it ("training notebook", say)
 * @param prefix     the first characters of the token, to tell tokens apart
 * @param createdAt  when it was issued
 * @param lastUsedAt when it last authenticated a request (to the minute), null if never
 * @param revokedAt  when it was revoked, null while it is valid
 */
public record ApiTokenInfo(long id, String name, String prefix, OffsetDateTime createdAt, OffsetDateTime lastUsedAt,
                           OffsetDateTime revokedAt) {

    /** Whether the token still authenticates requests. */
    public boolean active() {
        return revokedAt == null;
    }
}
