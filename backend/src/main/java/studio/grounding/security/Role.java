package studio.grounding.security;

/**
 * What a user may do. Roles are hierarchical: {@code ADMIN > CURATOR > REVIEWER > ANNOTATOR}, each role
 * includes the rights of those after it (see the package documentation).
 */
public enum Role {
    ADMIN, CURATOR, REVIEWER, ANNOTATOR;

    /** The Spring Security authority of this role, {@code ROLE_<name>}. */
    public String authority() {
        return "ROLE_" + name();
    }

    /** Whether this role includes the rights of {@code other} (every role includes itself). */
    public boolean includes(Role other) {
        return ordinal() <= other.ordinal();
    }
}
