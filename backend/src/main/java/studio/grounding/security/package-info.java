/**
 * Security: user accounts with roles, personal API tokens, and the filter chains of the REST API
 * ({@code /api/**}, Bearer tokens only) and of the image media endpoint ({@code /media/images/**}, Bearer token
 * or the UI's login session).
 *
 * <h2>Roles</h2>
 * Roles form a hierarchy, each including every right of the roles below it:
 * <pre>
 *   ADMIN  &gt;  CURATOR  &gt;  REVIEWER  &gt;  ANNOTATOR
 * </pre>
 * <ul>
 *   <li>{@code ANNOTATOR}: reads datasets, items, revisions, model versions and images; manages own API tokens.</li>
 *   <li>{@code REVIEWER}: what an annotator may, and accepting or rejecting items (UI).</li>
 *   <li>{@code CURATOR}: what a reviewer may, and exports ({@code /api/v1/datasets/*}{@code /export/**}), imports.</li>
 *   <li>{@code ADMIN}: everything, including user administration ({@code /api/v1/users}).</li>
 * </ul>
 * {@code WORKER} is the role of inference workers' accounts, outside the hierarchy: a worker token may call the
 * worker API ({@code /api/v1/worker/**}) and read images, nothing else; no human role (not even ADMIN) includes it.
 * The hierarchy is a Spring Security {@code RoleHierarchy} bean, so {@code hasRole("CURATOR")} holds for an
 * ADMIN too, in the API chain, in the UI's chain and in method security alike. A user's authorities are
 * {@code ROLE_<role>} for the roles stored with the account.
 *
 * <h2>Secrets</h2>
 * Passwords are stored as bcrypt hashes (Spring Security's delegating encoder, {@code {bcrypt}...}); API tokens
 * ({@code gs_} and 43 base64url characters, 256 random bits) only as their SHA-256 hex, looked up by that hash.
 * Neither passwords nor tokens are ever logged.
 */
package studio.grounding.security;
