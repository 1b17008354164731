package studio.grounding.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import studio.grounding.StudioIntegrationTest;

/**
 * The first start creates the administrator with the configured password: the test profile sets
 * {@code studio.admin-password=admin-test-password}, as STUDIO_ADMIN_PASSWORD would. Without one, see
 * {@link GeneratedAdminPasswordTest}.
 */
@StudioIntegrationTest
class AdminBootstrapTest {

    @Autowired
    UserService users;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    UserDetailsService userDetails;
    @Autowired
    PasswordEncoder passwordEncoder;

    @Test
    void createsTheAdminWithThatPasswordStoredAsABcryptHash() {
        UserAccount admin = users.find("admin").orElseThrow();
        assertThat(admin.roles()).containsExactly(Role.ADMIN);
        assertThat(admin.enabled()).isTrue();

        String hash = jdbc.sql("select password_hash from users where username = 'admin'").query(String.class).single();
        assertThat(hash).startsWith("{bcrypt}$2").doesNotContain("admin-test-password");
        assertThat(passwordEncoder.matches("admin-test-password", hash)).isTrue();

        Authentication login = login(userDetails, passwordEncoder, "admin", "admin-test-password");
        assertThat(login.getAuthorities()).extracting(GrantedAuthority::getAuthority).filteredOn(a -> a.startsWith("ROLE_"))
                .containsExactly("ROLE_ADMIN");
    }

    static Authentication login(UserDetailsService userDetails, PasswordEncoder encoder, String user, String password) {
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(userDetails);
        provider.setPasswordEncoder(encoder);
        return provider.authenticate(UsernamePasswordAuthenticationToken.unauthenticated(user, password));
    }
}
