package studio.grounding.web.ui;

import com.vaadin.flow.spring.security.RequestUtil;
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
import studio.grounding.security.LoginThrottle;

/**
 * Security of the web UI: form login at {@link LoginView} (with Spring's CSRF token, throttled by the
 * backend's {@link LoginThrottle}), sign-out, and view access by the views'
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
                                                 PasswordEncoder passwordEncoder, RoleHierarchy roleHierarchy,
                                                 LoginThrottle throttle, RequestUtil vaadinRequests) {
        return http
                .authenticationManager(authenticationManager(users, passwordEncoder, roleHierarchy, throttle))
                // Vaadin's own CSRF set-up exempts the login view's path, the POST of the login form included; ours
                // exempts only Vaadin's internal requests (they carry Vaadin's own CSRF token), so the login form
                // must send Spring's token: vaadin-login-form takes it from the page's _csrf meta tags
                .with(VaadinSecurityConfigurer.vaadin(), vaadin -> vaadin.loginView(LoginView.class, "/login")
                        .enableCsrfConfiguration(false))
                .csrf(csrf -> csrf.ignoringRequestMatchers(vaadinRequests::isFrameworkInternalRequest))
                .build();
    }

    /**
     * Form login whose authentication carries every role the user's roles imply (an ADMIN is also CURATOR,
     * REVIEWER and ANNOTATOR): Vaadin checks {@code @RolesAllowed} with {@code isUserInRole}, which does not
     * know the role hierarchy by itself. Behind the {@link LoginThrottle}: locked accounts and addresses are
     * refused like a wrong password.
     */
    static AuthenticationManager authenticationManager(UserDetailsService users, PasswordEncoder passwordEncoder,
                                                       RoleHierarchy roleHierarchy, LoginThrottle throttle) {
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(users);
        provider.setPasswordEncoder(passwordEncoder);
        provider.setAuthoritiesMapper(new RoleHierarchyAuthoritiesMapper(roleHierarchy));
        return new ProviderManager(new ThrottledAuthenticationProvider(provider, throttle));
    }
}
