package studio.grounding.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import studio.grounding.StudioIntegrationTest;

@StudioIntegrationTest
class UserServiceTest {

    @Autowired
    UserService users;
    @Autowired
    ApiTokenService tokens;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    UserDetailsService userDetails;
    @Autowired
    PasswordEncoder passwordEncoder;
    @Autowired
    RoleHierarchy roleHierarchy;

    private final String run = Long.toString(System.nanoTime(), 36);

    @Test
    void createsAnAccountWithABcryptHashNeverThePassword() {
        UserAccount alice = users.create("Alice-" + run, "Alice Liddell", "through the looking glass",
                Set.of(Role.REVIEWER, Role.ANNOTATOR));

        assertThat(alice.username()).isEqualTo("alice-" + run);
        assertThat(alice.displayName()).isEqualTo("Alice Liddell");
        assertThat(alice.roles()).containsExactly(Role.REVIEWER, Role.ANNOTATOR);
        assertThat(alice.enabled()).isTrue();
        assertThat(alice.createdAt()).isNotNull();
        assertThat(users.find("ALICE-" + run)).contains(alice);
        assertThat(users.list()).contains(alice);
        String hash = jdbc.sql("select password_hash from users where id = :id").param("id", alice.id())
                .query(String.class).single();
        assertThat(hash).startsWith("{bcrypt}$2").doesNotContain("looking glass");
        assertThat(AdminBootstrapTest.login(userDetails, passwordEncoder, alice.username(), "through the looking glass")
                .getAuthorities()).extracting(GrantedAuthority::getAuthority).filteredOn(a -> a.startsWith("ROLE_"))
                .containsExactlyInAnyOrder("ROLE_REVIEWER", "ROLE_ANNOTATOR");
    }

    @Test
    void refusesInvalidAccounts() {
        users.create("bob-" + run, null, "long enough, really", Set.of(Role.ANNOTATOR));
        assertThat(users.find("bob-" + run).orElseThrow().displayName()).isEqualTo("bob-" + run);

        assertThatThrownBy(() -> users.create("BOB-" + run, "Bob", "long enough, really", Set.of(Role.ANNOTATOR)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already exists");
        assertThatThrownBy(() -> users.create("no spaces", "x", "long enough, really", Set.of(Role.ANNOTATOR)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user name");
        assertThatThrownBy(() -> users.create("carol-" + run, "x", "short", Set.of(Role.ANNOTATOR)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 12");
        assertThatThrownBy(() -> users.create("carol-" + run, "x", "é".repeat(40), Set.of(Role.ANNOTATOR)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("72 bytes");
        assertThatThrownBy(() -> users.create("carol-" + run, "x", "long enough, really", Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("role");
        assertThat(users.find("carol-" + run)).isEmpty();
        assertThatThrownBy(() -> users.setEnabled("nobody-" + run, false)).isInstanceOf(UnknownUserException.class);
    }

    @Test
    void refusesCommonAndTrivialPasswordsWhereverOneIsSet() {
        for (String weak : List.of("password", "12345678", "        ", "password123!", "Password-2024", "aaaaaaaaaaaaaaaa",
                "123456789012", "abcdefghijklmn", "qwertyuiop", "            ", "ivy-" + run)) {
            assertThatThrownBy(() -> users.create("ivy-" + run, null, weak, Set.of(Role.ANNOTATOR)))
                    .as(weak).isInstanceOf(WeakPasswordException.class);
        }
        assertThat(users.find("ivy-" + run)).as("nothing stored").isEmpty();

        users.create("ivy-" + run, null, "tulip ledger 42 sunrise", Set.of(Role.ANNOTATOR));
        assertThatThrownBy(() -> users.changePassword("ivy-" + run, "12345678"))
                .isInstanceOf(WeakPasswordException.class)
                .satisfies(e -> assertThat(((WeakPasswordException) e).problems()).containsExactly(
                        "A password needs at least 12 characters.",
                        "A password cannot be a run of the alphabet, the digits or a keyboard row "
                                + "(like abcdef, 12345678 or qwerty).",
                        "This is one of the most common passwords (or one with digits or symbols added): choose another."));
        assertThat(AdminBootstrapTest.login(userDetails, passwordEncoder, "ivy-" + run, "tulip ledger 42 sunrise")
                .isAuthenticated()).as("the old password still works").isTrue();
    }

    @Test
    void changesPasswordsRolesAndEnabling() {
        String name = "dave-" + run;
        users.create(name, "Dave", "first password", Set.of(Role.ANNOTATOR));
        String token = tokens.issue(name, "script").plaintext();

        users.changePassword(name, "second password");
        assertThatThrownBy(() -> AdminBootstrapTest.login(userDetails, passwordEncoder, name, "first password"))
                .isInstanceOf(BadCredentialsException.class);
        assertThat(AdminBootstrapTest.login(userDetails, passwordEncoder, name, "second password").isAuthenticated())
                .isTrue();

        users.setRoles(name, Set.of(Role.CURATOR));
        assertThat(users.find(name).orElseThrow().roles()).containsExactly(Role.CURATOR);
        assertThat(tokens.authenticate(token).orElseThrow().roles()).containsExactly(Role.CURATOR);

        users.setEnabled(name, false);
        assertThat(users.find(name).orElseThrow().enabled()).isFalse();
        assertThatThrownBy(() -> AdminBootstrapTest.login(userDetails, passwordEncoder, name, "second password"))
                .isInstanceOf(DisabledException.class);
        assertThat(tokens.authenticate(token)).isEmpty();
        users.setEnabled(name, true);
        assertThat(tokens.authenticate(token)).isPresent();
    }

    @Test
    void theLastEnabledAdministratorCannotBeDisabledOrDemoted() {
        List<String> otherAdmins = users.list().stream()
                .filter(u -> u.enabled() && u.roles().contains(Role.ADMIN) && !u.username().equals("admin"))
                .map(UserAccount::username).toList();
        otherAdmins.forEach(name -> users.setEnabled(name, false));
        try {
            assertThatThrownBy(() -> users.setEnabled("admin", false))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("last enabled administrator");
            assertThatThrownBy(() -> users.setRoles("admin", Set.of(Role.CURATOR)))
                    .isInstanceOf(IllegalStateException.class);

            users.create("erin-" + run, "Erin", "long enough, really", Set.of(Role.ADMIN));
            users.setRoles("admin", Set.of(Role.CURATOR));
            users.setEnabled("admin", false);
            users.setEnabled("admin", true);
            users.setRoles("admin", Set.of(Role.ADMIN));
            users.setEnabled("erin-" + run, false);
        } finally {
            otherAdmins.forEach(name -> users.setEnabled(name, true));
        }
        assertThat(users.find("admin").orElseThrow().enabled()).isTrue();
    }

    @Test
    void rolesAreHierarchical() {
        assertThat(reachable(Role.ADMIN)).containsExactlyInAnyOrder(
                "ROLE_ADMIN", "ROLE_CURATOR", "ROLE_REVIEWER", "ROLE_ANNOTATOR");
        assertThat(reachable(Role.CURATOR)).containsExactlyInAnyOrder("ROLE_CURATOR", "ROLE_REVIEWER", "ROLE_ANNOTATOR");
        assertThat(reachable(Role.REVIEWER)).containsExactlyInAnyOrder("ROLE_REVIEWER", "ROLE_ANNOTATOR");
        assertThat(reachable(Role.ANNOTATOR)).containsExactly("ROLE_ANNOTATOR");
        for (Role a : Role.values()) {
            for (Role b : Role.values()) {
                assertThat(a.includes(b)).as(a + " includes " + b).isEqualTo(reachable(a).contains(b.authority()));
            }
        }
    }

    private List<String> reachable(Role role) {
        return roleHierarchy.getReachableGrantedAuthorities(AuthorityUtils.createAuthorityList(role.authority()))
                .stream().map(GrantedAuthority::getAuthority).toList();
    }
}
