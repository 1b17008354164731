package studio.grounding.web.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import studio.grounding.security.LoginThrottle;
import studio.grounding.security.Role;
import studio.grounding.security.UserService;

/** The UI's form login: real accounts, bcrypt, and the roles implied by the role hierarchy. */
@UiTest
class FormLoginRolesTest {

    @Autowired
    UserDetailsService userDetails;
    @Autowired
    PasswordEncoder passwordEncoder;
    @Autowired
    RoleHierarchy roleHierarchy;
    @Autowired
    UserService users;
    @Autowired
    LoginThrottle throttle;

    @Test
    void aSignedInUserHoldsEveryRoleItsRolesImply() {
        users.create("rita", "Rita Reviewer", "ritas-password", Set.of(Role.REVIEWER));
        AuthenticationManager login = manager();

        Authentication admin = login.authenticate(
                UsernamePasswordAuthenticationToken.unauthenticated("admin", "admin-test-password"));
        assertThat(AuthorityUtils.authorityListToSet(admin.getAuthorities()))
                .contains("ROLE_ADMIN", "ROLE_CURATOR", "ROLE_REVIEWER", "ROLE_ANNOTATOR");

        Authentication reviewer = login.authenticate(
                UsernamePasswordAuthenticationToken.unauthenticated("rita", "ritas-password"));
        assertThat(AuthorityUtils.authorityListToSet(reviewer.getAuthorities()))
                .contains("ROLE_REVIEWER", "ROLE_ANNOTATOR").doesNotContain("ROLE_CURATOR", "ROLE_ADMIN");
    }

    @Test
    void wrongPasswordsAndDisabledAccountsAreRefused() {
        users.create("dora", "Dora", "doras-password", Set.of(Role.ANNOTATOR));
        AuthenticationManager login = manager();
        assertThatThrownBy(() -> login.authenticate(
                UsernamePasswordAuthenticationToken.unauthenticated("dora", "not-her-password")))
                .isInstanceOf(BadCredentialsException.class);

        users.setEnabled("dora", false);
        assertThatThrownBy(() -> login.authenticate(
                UsernamePasswordAuthenticationToken.unauthenticated("dora", "doras-password")))
                .isInstanceOf(DisabledException.class);
    }

    private AuthenticationManager manager() {
        return WebSecurityConfiguration.authenticationManager(userDetails, passwordEncoder, roleHierarchy, throttle);
    }
}
