package studio.grounding.security;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import studio.grounding.text.StoredText;

/**
 * User accounts: creation, roles, passwords (stored as bcrypt hashes only) and enabling. User names are
 * case-insensitive (stored in lower case). At least one enabled ADMIN always remains: disabling the last one or
 * taking its ADMIN role is refused.
 */
@Service
public class UserService {

    private static final Logger log = LoggerFactory.getLogger(UserService.class);
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{0,63}");

    private static final String ACCOUNT_QUERY = """
            select u.id, u.username, u.display_name, u.enabled, u.created_at, u.password_hash,
              array(select r.role from user_roles r where r.user_id = u.id order by r.role) as roles
            from users u
            """;

    private final JdbcClient jdbc;
    private final PasswordEncoder passwordEncoder;

    UserService(JdbcClient jdbc, PasswordEncoder passwordEncoder) {
        this.jdbc = jdbc;
        this.passwordEncoder = passwordEncoder;
    }

    /**
     * Creates an enabled account.
     *
     * @throws WeakPasswordException    if the password does not meet the {@link PasswordPolicy} (every problem)
     * @throws IllegalArgumentException if the name is taken or invalid, or no role is given
     */
    @Transactional
    public UserAccount create(String username, String displayName, String rawPassword, Set<Role> roles) {
        String name = validUsername(username);
        String display = displayName == null || displayName.isBlank() ? name : displayName.strip();
        StoredText.require("displayName", display);
        if (display.length() > 200) {
            throw new IllegalArgumentException("Display name longer than 200 characters");
        }
        Set<Role> validRoles = validRoles(roles);
        String hash = passwordEncoder.encode(PasswordPolicy.require(rawPassword, name));
        if (find(name).isPresent()) {
            throw new IllegalArgumentException("A user named \"" + name + "\" already exists");
        }
        long id;
        try {
            id = jdbc.sql("insert into users (username, display_name, password_hash) values (:u, :d, :h) returning id")
                    .param("u", name).param("d", display).param("h", hash).query(Long.class).single();
        } catch (DuplicateKeyException raced) {
            throw new IllegalArgumentException("A user named \"" + name + "\" already exists");
        }
        insertRoles(id, validRoles);
        log.info("Created user {} with roles {}", name, validRoles);
        return findById(id).orElseThrow();
    }

    /** Every account, by user name. */
    @Transactional(readOnly = true)
    public List<UserAccount> list() {
        return jdbc.sql(ACCOUNT_QUERY + " order by u.username").query(UserService::accountOf).list();
    }

    /** The account of that user name (case-insensitive), if any. */
    @Transactional(readOnly = true)
    public Optional<UserAccount> find(String username) {
        return stored(username).map(StoredUser::account);
    }

    /**
     * Sets a new password.
     *
     * @throws UnknownUserException  if there is no such user
     * @throws WeakPasswordException if the password does not meet the {@link PasswordPolicy} (every problem)
     */
    @Transactional
    public void changePassword(String username, String rawPassword) {
        UserAccount user = require(username);
        String hash = passwordEncoder.encode(PasswordPolicy.require(rawPassword, user.username()));
        jdbc.sql("update users set password_hash = :h where id = :id").param("h", hash).param("id", user.id()).update();
        log.info("Changed the password of user {}", user.username());
    }

    /**
     * Enables or disables an account; a disabled user can neither log in nor use API tokens.
     *
     * @throws UnknownUserException  if there is no such user
     * @throws IllegalStateException when it would disable the last enabled ADMIN
     */
    @Transactional
    public void setEnabled(String username, boolean enabled) {
        UserAccount user = require(username);
        if (!enabled && user.roles().contains(Role.ADMIN)) {
            requireAnotherEnabledAdmin(user);
        }
        jdbc.sql("update users set enabled = :e where id = :id").param("e", enabled).param("id", user.id()).update();
        log.info("{} user {}", enabled ? "Enabled" : "Disabled", user.username());
    }

    /**
     * Replaces the roles of an account.
     *
     * @throws UnknownUserException     if there is no such user
     * @throws IllegalArgumentException if no role is given
     * @throws IllegalStateException    when it would take ADMIN from the last enabled ADMIN
     */
    @Transactional
    public void setRoles(String username, Set<Role> roles) {
        Set<Role> validRoles = validRoles(roles);
        UserAccount user = require(username);
        if (user.enabled() && user.roles().contains(Role.ADMIN) && !validRoles.contains(Role.ADMIN)) {
            requireAnotherEnabledAdmin(user);
        }
        jdbc.sql("delete from user_roles where user_id = :id").param("id", user.id()).update();
        insertRoles(user.id(), validRoles);
        log.info("Set the roles of user {} to {}", user.username(), validRoles);
    }

    /** Whether there is any account at all (first start creates the administrator). */
    @Transactional(readOnly = true)
    public boolean anyUser() {
        return jdbc.sql("select exists (select 1 from users)").query(Boolean.class).single();
    }

    Optional<UserAccount> findById(long id) {
        return jdbc.sql(ACCOUNT_QUERY + " where u.id = :id").param("id", id)
                .query(UserService::accountOf).optional();
    }

    /** The account with its password hash, for the login. */
    Optional<StoredUser> stored(String username) {
        if (username == null) {
            return Optional.empty();
        }
        return jdbc.sql(ACCOUNT_QUERY + " where u.username = :u")
                .param("u", username.strip().toLowerCase(Locale.ROOT))
                .query((rs, n) -> new StoredUser(accountOf(rs, n), rs.getString("password_hash"))).optional();
    }

    private UserAccount require(String username) {
        return find(username).orElseThrow(() -> new UnknownUserException(username));
    }

    private void requireAnotherEnabledAdmin(UserAccount user) {
        long others = jdbc.sql("""
                        select count(*) from users u join user_roles r on r.user_id = u.id
                        where r.role = 'ADMIN' and u.enabled and u.id <> :id""")
                .param("id", user.id()).query(Long.class).single();
        if (others == 0) {
            throw new IllegalStateException(user.username() + " is the last enabled administrator: "
                    + "make another user ADMIN first");
        }
    }

    private void insertRoles(long userId, Set<Role> roles) {
        for (Role role : roles) {
            jdbc.sql("insert into user_roles (user_id, role) values (:id, :role)")
                    .param("id", userId).param("role", role.name()).update();
        }
    }

    private static String validUsername(String username) {
        String name = username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
        if (!USERNAME.matcher(name).matches()) {
            throw new IllegalArgumentException("A user name has 1 to 64 characters: letters, digits and . _ @ -, "
                    + "starting with a letter or digit");
        }
        return name;
    }

    private static Set<Role> validRoles(Set<Role> roles) {
        if (roles == null || roles.isEmpty() || roles.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("A user needs at least one role");
        }
        return EnumSet.copyOf(roles);
    }

    private static UserAccount accountOf(ResultSet rs, int row) throws SQLException {
        Array array = rs.getArray("roles");
        Set<Role> roles = EnumSet.noneOf(Role.class);
        Arrays.stream((String[]) array.getArray()).map(Role::valueOf).forEach(roles::add);
        return new UserAccount(rs.getLong("id"), rs.getString("username"), rs.getString("display_name"), roles,
                rs.getBoolean("enabled"), rs.getObject("created_at", OffsetDateTime.class));
    }

    /** An account with its password hash; only the login sees it. */
    record StoredUser(UserAccount account, String passwordHash) {

        @Override
        public String toString() {
            return "StoredUser[" + account + "]";
        }
    }
}
