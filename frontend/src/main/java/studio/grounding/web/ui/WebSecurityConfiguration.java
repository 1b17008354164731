package studio.grounding.web.ui;

import com.vaadin.flow.spring.security.VaadinSecurityConfigurer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyAuthoritiesMapper;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Security of the web UI: form login at {@link LoginView}, sign-out, and view access by the views'
 * {@code @PermitAll} / {@code @RolesAllowed} annotations. The users, roles, role hierarchy and password
 * encoder come from the backend's {@code security} feature.
 * <p>
 * This chain matches every request the earlier chains leave: the backend's chains for {@code /api/**}
 * (bearer tokens, order 1) and {@code /media/**} (order 2) come first.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class WebSecurityConfiguration {

    /** After the backend's API (1) and media (2) chains. */
    static final int ORDER = 10;

    @Bean
    @Order(ORDER)
    SecurityFilterChain webUiSecurityFilterChain(HttpSecurity http, UserDetailsService users,
                                                 PasswordEncoder passwordEncoder, RoleHierarchy roleHierarchy) {
        return http
                .authenticationManager(authenticationManager(users, passwordEncoder, roleHierarchy))
                .with(VaadinSecurityConfigurer.vaadin(), vaadin -> vaadin.loginView(LoginView.class, "/login"))
                .build();
    }

    /**
     * Form login whose authentication carries every role the user's roles imply (an ADMIN is also CURATOR,
     * REVIEWER and ANNOTATOR): Vaadin checks {@code @RolesAllowed} with {@code isUserInRole}, which does not
     * know the role hierarchy by itself.
     */
    static AuthenticationManager authenticationManager(UserDetailsService users, PasswordEncoder passwordEncoder,
                                                       RoleHierarchy roleHierarchy) {
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(users);
        provider.setPasswordEncoder(passwordEncoder);
        provider.setAuthoritiesMapper(new RoleHierarchyAuthoritiesMapper(roleHierarchy));
        return new ProviderManager(provider);
    }
}
