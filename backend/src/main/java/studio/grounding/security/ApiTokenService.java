package studio.grounding.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import studio.grounding.text.StoredText;

/**
 * Personal API tokens for the REST API. A token is {@code gs_} followed by 32 random bytes in base64url (256 bits);
 * only its SHA-256 is stored, and a presented token is found by looking up that hash. A user manages only their
 * own tokens. Revoked tokens, and tokens of disabled users, authenticate nothing.
 */
@Service
public class ApiTokenService {

    private static final Logger log = LoggerFactory.getLogger(ApiTokenService.class);
    static final String TOKEN_PREFIX = "gs_";
    private static final Pattern TOKEN = Pattern.compile("gs_[A-Za-z0-9_-]{43}");
    private static final int DISPLAY_PREFIX_LENGTH = 10;

    private final JdbcClient jdbc;
    private final UserService users;
    private final SecureRandom random = new SecureRandom();

    ApiTokenService(JdbcClient jdbc, UserService users) {
        this.jdbc = jdbc;
        this.users = users;
    }

    /**
     * Issues a new token for a user. The plaintext is in the result only: show it once.
     *
     * @param name what the token is for, 1 to 100 characters
     * @throws UnknownUserException     if there is no such user
     * @throws IllegalArgumentException if the name is blank or too long
     * @throws IllegalStateException    if the user is disabled
     */
    @Transactional
    public IssuedToken issue(String username, String name) {
        StoredText.require("name", name);
        if (name == null || name.isBlank() || name.strip().length() > 100) {
            throw new IllegalArgumentException("A token needs a name of 1 to 100 characters");
        }
        UserAccount user = users.find(username).orElseThrow(() -> new UnknownUserException(username));
        if (!user.enabled()) {
            throw new IllegalStateException("User " + user.username() + " is disabled");
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String plaintext = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String prefix = plaintext.substring(0, DISPLAY_PREFIX_LENGTH);
        ApiTokenInfo info = jdbc.sql("""
                        insert into api_tokens (user_id, name, token_hash, prefix) values (:user, :name, :hash, :prefix)
                        returning id, name, prefix, created_at, last_used_at, revoked_at""")
                .param("user", user.id()).param("name", name.strip()).param("hash", sha256Hex(plaintext))
                .param("prefix", prefix)
                .query(ApiTokenService::infoOf).single();
        log.info("Issued API token #{} ({}…) \"{}\" to user {}", info.id(), prefix, info.name(), user.username());
        return new IssuedToken(info, plaintext);
    }

    /**
     * An admin issues a token for a worker account (one whose only role is WORKER), so that no one has to sign in
     * as the worker. The plaintext is in the result only: show it once. Human accounts are refused: people create
     * their own tokens.
     *
     * @throws UnknownUserException     if there is no such user
     * @throws IllegalArgumentException if the account is not a worker account, or the name is blank or too long
     * @throws IllegalStateException    if the account is disabled
     */
    @Transactional
    public IssuedToken issueForWorker(String workerUsername, String name, String issuedBy) {
        workerAccount(workerUsername);
        IssuedToken issued = issue(workerUsername, name);
        log.info("API token #{} of worker account {} was issued by {}", issued.info().id(), workerUsername, issuedBy);
        return issued;
    }

    /** A worker account's tokens, newest first, revoked ones included (for the admin who manages them). */
    @Transactional(readOnly = true)
    public List<ApiTokenInfo> listForWorker(String workerUsername) {
        return list(workerAccount(workerUsername).username());
    }

    /**
     * An admin revokes a token of a worker account.
     *
     * @throws UnknownTokenException if the worker has no token of that id
     */
    @Transactional
    public void revokeForWorker(String workerUsername, long tokenId, String revokedBy) {
        revoke(workerAccount(workerUsername).username(), tokenId);
        log.info("API token #{} of worker account {} revoked by {}", tokenId, workerUsername, revokedBy);
    }

    private UserAccount workerAccount(String username) {
        UserAccount user = users.find(username).orElseThrow(() -> new UnknownUserException(username));
        if (!user.roles().equals(java.util.Set.of(Role.WORKER))) {
            throw new IllegalArgumentException("username: " + user.username() + " is not a worker account (its only "
                    + "role must be WORKER); people create their own tokens under API tokens");
        }
        return user;
    }

    /** A user's tokens, newest first, revoked ones included. */
    @Transactional(readOnly = true)
    public List<ApiTokenInfo> list(String username) {
        return jdbc.sql("""
                        select t.id, t.name, t.prefix, t.created_at, t.last_used_at, t.revoked_at
                        from api_tokens t join users u on u.id = t.user_id
                        where u.username = lower(:user) order by t.id desc""")
                .param("user", username == null ? "" : username.strip())
                .query(ApiTokenService::infoOf).list();
    }

    /**
     * Revokes one of a user's tokens; revoking a revoked token changes nothing.
     *
     * @throws UnknownTokenException if the user has no token of that id
     */
    @Transactional
    public void revoke(String username, long tokenId) {
        ApiTokenInfo token = list(username).stream().filter(t -> t.id() == tokenId).findFirst()
                .orElseThrow(() -> new UnknownTokenException(tokenId));
        if (token.active()) {
            jdbc.sql("update api_tokens set revoked_at = now() where id = :id").param("id", tokenId).update();
            log.info("Revoked API token #{} ({}…) of user {}", tokenId, token.prefix(), username);
        }
    }

    /**
     * The user a presented token belongs to, if it is a valid token: issued, not revoked, of an enabled user.
     * Records when it was last used (at most once a minute per token).
     */
    @Transactional
    public Optional<UserAccount> authenticate(String plaintext) {
        if (plaintext == null || !TOKEN.matcher(plaintext).matches()) {
            return Optional.empty();
        }
        Optional<TokenOwner> owner = jdbc.sql("""
                        select t.id, t.user_id from api_tokens t join users u on u.id = t.user_id
                        where t.token_hash = :hash and t.revoked_at is null and u.enabled""")
                .param("hash", sha256Hex(plaintext))
                .query((rs, n) -> new TokenOwner(rs.getLong("id"), rs.getLong("user_id"))).optional();
        if (owner.isEmpty()) {
            return Optional.empty();
        }
        jdbc.sql("""
                        update api_tokens set last_used_at = now()
                        where id = :id and (last_used_at is null or last_used_at < now() - interval '1 minute')""")
                .param("id", owner.get().tokenId()).update();
        return users.findById(owner.get().userId());
    }

    static String sha256Hex(String token) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ApiTokenInfo infoOf(ResultSet rs, int row) throws SQLException {
        return new ApiTokenInfo(rs.getLong("id"), rs.getString("name"), rs.getString("prefix"),
                rs.getObject("created_at", OffsetDateTime.class), rs.getObject("last_used_at", OffsetDateTime.class),
                rs.getObject("revoked_at", OffsetDateTime.class));
    }

    private record TokenOwner(long tokenId, long userId) {
    }
}
