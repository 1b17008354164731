package studio.grounding.platform;

/**
 * Whether the platform knows its database to be down right now (the embedded server died and is being restarted).
 * With an external database nothing is known ahead: requests find out when they cannot get a connection.
 */
interface DatabaseAvailability {

    boolean isDown();
}
