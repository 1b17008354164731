package studio.grounding.security;

import jakarta.servlet.DispatcherType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * The filter chains of the REST API and of the image media endpoint. The UI's own chain (form login) comes
 * later in order, from the web application.
 *
 * <ul>
 *   <li>{@code /api/**} (order 1): Bearer API tokens only; stateless, no session, no CSRF (no cookies are
 *       read). The worker API ({@code /api/v1/worker/**}) needs WORKER (and only WORKER: no human role, ADMIN
 *       included, may claim or complete jobs); exports ({@code /api/v1/datasets/*}{@code /export/**}) and pre-fill
 *       management ({@code /api/v1/datasets/*}{@code /prefill}, {@code /api/v1/prefill/**}) need CURATOR, user
 *       administration ({@code /api/v1/users/**}) ADMIN, everything else ANNOTATOR — with the role hierarchy, any
 *       human role; a WORKER token gets 403 there.</li>
 *   <li>{@code /media/**} (order 2; images are under {@code /media/images/}, any other path there is a 404): a Bearer token or the UI's login session; ANNOTATOR or WORKER (a
 *       worker fetches the image it pre-fills); an anonymous
 *       request gets 401 (no redirect to the login page), no session is created.</li>
 * </ul>
 * {@code /actuator/**} (order 3): ADMIN Bearer tokens only.
 * Only in a servlet web application: a CLI run has no HTTP security to configure.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class ApiSecurityConfiguration {

    static final String ANY_ROLE = Role.ANNOTATOR.name();

    /**
     * The error page of an API, media or actuator request ({@link ApiErrorPage}): open to all (the request it reports
     * on was already authorised or refused), stateless, written as problem details before any other chain (the UI's
     * would redirect it to the login page).
     */
    @Bean
    @Order(0)
    SecurityFilterChain apiErrorPageFilterChain(HttpSecurity http) {
        return http.securityMatcher(ApiErrorPage.ERROR_OF_API_REQUEST)
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .addFilterBefore(new ApiErrorPage(), AnonymousAuthenticationFilter.class)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .build();
    }

    @Bean
    @Order(1)
    SecurityFilterChain apiSecurityFilterChain(HttpSecurity http, ApiTokenService tokens,
            ObjectProvider<SecurityContextHolderStrategy> contexts) {
        AuthenticationEntryPoint unauthorized = ProblemResponses.unauthorized();
        AccessDeniedHandler forbidden = ProblemResponses.forbidden();
        return http.securityMatcher("/api/**")
                .authorizeHttpRequests(requests -> requests
                        // a streamed response (exports) continues on an ASYNC dispatch of the request that was
                        // already authorised on its REQUEST dispatch
                        .dispatcherTypeMatchers(DispatcherType.ASYNC).permitAll()
                        .requestMatchers("/api/v1/worker/**").hasRole(Role.WORKER.name())
                        .requestMatchers("/api/v1/datasets/*/export/**", "/api/v1/datasets/*/prefill",
                                "/api/v1/prefill/**", "/api/v1/datasets/*/snapshots", "/api/v1/datasets/*/snapshots/**",
                                "/api/v1/training/**", "/api/v1/evaluations", "/api/v1/evaluations/**")
                        .hasRole(Role.CURATOR.name())
                        .requestMatchers("/api/v1/models/*/evaluations", "/api/v1/models/*/effort")
                        .hasRole(Role.REVIEWER.name())
                        .requestMatchers("/api/v1/users", "/api/v1/users/**").hasRole(Role.ADMIN.name())
                        .requestMatchers("/api/v1/items/*/review/**").hasRole(Role.REVIEWER.name())
                        .anyRequest().hasRole(ANY_ROLE))
                .addFilterBefore(tokenFilter(tokens, unauthorized, contexts), AnonymousAuthenticationFilter.class)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .exceptionHandling(errors -> errors.authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden))
                .build();
    }

    /**
     * Spring Boot actuator ({@code /actuator/health}, {@code /actuator/prometheus}, with the pre-fill queue gauges):
     * ADMIN Bearer tokens only (a monitoring system gets an admin's token), stateless; 401 without a token, 403
     * with another role.
     */
    @Bean
    @Order(3)
    SecurityFilterChain actuatorSecurityFilterChain(HttpSecurity http, ApiTokenService tokens,
            ObjectProvider<SecurityContextHolderStrategy> contexts) {
        AuthenticationEntryPoint unauthorized = ProblemResponses.unauthorized();
        return http.securityMatcher("/actuator", "/actuator/**")
                .authorizeHttpRequests(requests -> requests.anyRequest().hasRole(Role.ADMIN.name()))
                .addFilterBefore(tokenFilter(tokens, unauthorized, contexts), AnonymousAuthenticationFilter.class)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .exceptionHandling(errors -> errors.authenticationEntryPoint(unauthorized)
                        .accessDeniedHandler(ProblemResponses.forbidden()))
                .build();
    }

    /**
     * The token filter writes to the strategy the chain's other filters read: the application's
     * {@link SecurityContextHolderStrategy} bean (the web UI declares one), else the global one — the lookup Spring
     * Security's configurers make.
     */
    private static ApiTokenAuthenticationFilter tokenFilter(ApiTokenService tokens, AuthenticationEntryPoint unauthorized,
                                                            ObjectProvider<SecurityContextHolderStrategy> contexts) {
        return new ApiTokenAuthenticationFilter(tokens, unauthorized,
                contexts.getIfAvailable(SecurityContextHolder::getContextHolderStrategy));
    }

    @Bean
    @Order(2)
    SecurityFilterChain mediaSecurityFilterChain(HttpSecurity http, ApiTokenService tokens,
            ObjectProvider<SecurityContextHolderStrategy> contexts) {
        AuthenticationEntryPoint unauthorized = ProblemResponses.unauthorized();
        return http.securityMatcher("/media/**")
                .authorizeHttpRequests(requests -> requests.anyRequest().hasAnyRole(ANY_ROLE, Role.WORKER.name()))
                .addFilterBefore(tokenFilter(tokens, unauthorized, contexts), AnonymousAuthenticationFilter.class)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.NEVER))
                .requestCache(cache -> cache.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .exceptionHandling(errors -> errors.authenticationEntryPoint(unauthorized)
                        .accessDeniedHandler(ProblemResponses.forbidden()))
                .build();
    }
}
