package studio.grounding.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers the API ({@code /api/**}, {@code /media/**}, {@code /actuator/**}) with 503 at once while the database is
 * known to be down, and turns a "cannot reach the database" failure anywhere in the chain (the token check included,
 * which runs before any controller) into the same 503 instead of an error page or a redirect to the login page. The
 * body is problem details ({@code application/problem+json}); {@code /actuator/health} gets {@code {"status":"DOWN"}}
 * (nothing more: the caller cannot be authenticated without the database). Runs before Spring Security.
 */
final class DatabaseUnavailableFilter extends OncePerRequestFilter {

    static final String RETRY_AFTER_SECONDS = "5";
    static final String DETAIL = "The database is unavailable right now; nothing was changed. Retry shortly.";

    private final DatabaseAvailability availability;

    DatabaseUnavailableFilter(DatabaseAvailability availability) {
        this.availability = availability;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        boolean guarded = path.startsWith("/api/") || path.startsWith("/media/") || path.equals("/actuator")
                || path.startsWith("/actuator/");
        if (!guarded) {
            chain.doFilter(request, response);
            return;
        }
        if (availability.isDown()) {
            answer(path, response);
            return;
        }
        try {
            chain.doFilter(request, response);
        } catch (ServletException | IOException | RuntimeException e) {
            boolean unavailable = DatabaseFailures.isUnavailable(e)
                    || (DatabaseFailures.involvesDatabase(e) && availability.isDown());
            if (!unavailable || response.isCommitted()) {
                throw e;
            }
            response.reset();
            answer(path, response);
        }
    }

    private static void answer(String path, HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        if (path.startsWith("/actuator/health")) {
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.getWriter().write("{\"status\":\"DOWN\"}");
            return;
        }
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,\"detail\":\""
                + DETAIL + "\",\"instance\":\"" + JsonText.escape(path) + "\"}");
    }
}
