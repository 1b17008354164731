package studio.grounding.security;

import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * A user of the platform, without credentials.
 *
 * @param id          database id
 * @param username    login name: lower case letters, digits and {@code . _ @ -}, at most 64 characters
 * @param displayName the name shown in the UI and history
 * @param roles       the roles given to the user (the hierarchy adds the lower ones implicitly)
 * @param enabled     disabled users can neither log in nor use their API tokens
 * @param createdAt   when the account was created
 */
public record UserAccount(long id, String username, String displayName, Set<Role> roles, boolean enabled,
                          OffsetDateTime createdAt) {

    public UserAccount {
        roles = roles.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(roles));
    }

    /** Whether one of the user's roles includes {@code role} (ADMIN has every role, say). */
    public boolean has(Role role) {
        return roles.stream().anyMatch(r -> r.includes(role));
    }
}
