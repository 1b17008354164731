package studio.grounding.cli;

/** Exit codes of the CLI jobs. */
final class ExitCodes {

    /** Everything worked. */
    static final int OK = 0;
    /** The job ran, but some records failed (see the report), or it could not run at all. */
    static final int FAILED = 1;
    /** The command line was wrong. */
    static final int USAGE = 2;

    private ExitCodes() {
    }
}
