package studio.grounding.security;

/**
 * What a user may do. The human roles are hierarchical: {@code ADMIN > CURATOR > REVIEWER > ANNOTATOR}, each role
 * includes the rights of those after it (see the package documentation). {@code WORKER} is the role of an inference
 * worker's account and stands outside the hierarchy: it includes no human role and no human role includes it, so
 * a worker token can call only the worker API ({@code /api/v1/worker/**}) and read images ({@code /media/images/**}).
 */
public enum Role {
    ADMIN, CURATOR, REVIEWER, ANNOTATOR, WORKER;

    /** The Spring Security authority of this role, {@code ROLE_<name>}. */
    public String authority() {
        return "ROLE_" + name();
    }

    /** Whether this role includes the rights of {@code other} (every role includes itself). */
    public boolean includes(Role other) {
        if (this == WORKER || other == WORKER) {
            return this == other;
        }
        return ordinal() <= other.ordinal();
    }
}
