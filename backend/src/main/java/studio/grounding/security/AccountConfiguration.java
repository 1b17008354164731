package studio.grounding.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The beans every login of the platform uses: the password encoder (bcrypt by default, delegating so that the
 * algorithm can change), the user details of the UI's form login, and the role hierarchy
 * {@code ADMIN > CURATOR > REVIEWER > ANNOTATOR}.
 */
@Configuration(proxyBeanMethods = false)
class AccountConfiguration {

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    static RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.withDefaultRolePrefix()
                .role(Role.ADMIN.name()).implies(Role.CURATOR.name())
                .role(Role.CURATOR.name()).implies(Role.REVIEWER.name())
                .role(Role.REVIEWER.name()).implies(Role.ANNOTATOR.name())
                .build();
    }

    /** Users of the form login: enabled flag, bcrypt hash and {@code ROLE_<role>} authorities from the database. */
    @Bean
    UserDetailsService userDetailsService(UserService users) {
        return username -> users.stored(username)
                .map(stored -> User.withUsername(stored.account().username())
                        .password(stored.passwordHash())
                        .disabled(!stored.account().enabled())
                        .authorities(stored.account().roles().stream().map(Role::authority).toArray(String[]::new))
                        .build())
                .orElseThrow(() -> new UsernameNotFoundException("No such user"));
    }
}
