package studio.grounding.security;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The servlet error page of a request to the API, the image media or the actuator (what the container dispatches to
 * {@code /error} after an error status or an exception that no handler answered): problem details with the error's
 * status and a generic detail, written here, so that the error never reaches the UI's filter chain, which would
 * answer it with a redirect to the login page. The exception, if any, is logged, never put into the body.
 */
final class ApiErrorPage extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(ApiErrorPage.class);

    /** An ERROR dispatch whose original request was under {@code /api/}, {@code /media/} or {@code /actuator}. */
    static final RequestMatcher ERROR_OF_API_REQUEST = request -> request.getDispatcherType() == DispatcherType.ERROR
            && isApiPath(request.getContextPath(), (String) request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI));

    static boolean isApiPath(String contextPath, String uri) {
        if (uri == null) {
            return false;
        }
        String path = uri.substring(Math.min(contextPath.length(), uri.length()));
        return path.startsWith("/api/") || path.startsWith("/media/") || path.equals("/actuator")
                || path.startsWith("/actuator/");
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!ERROR_OF_API_REQUEST.matches(request)) {
            chain.doFilter(request, response);
            return;
        }
        String uri = (String) request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Throwable exception = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        HttpStatus status = code instanceof Integer c && HttpStatus.resolve(c) != null && c >= 400
                ? HttpStatus.valueOf(c) : HttpStatus.INTERNAL_SERVER_ERROR;
        if (exception != null) {
            log.error("Unexpected error answering {} {}", request.getMethod(), uri, exception);
        }
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        ProblemResponses.write(response, status, detail(status), uri);
    }

    private static String detail(HttpStatus status) {
        if (status == HttpStatus.NOT_FOUND) {
            return "No such resource.";
        }
        return status.is5xxServerError()
                ? "An unexpected error occurred; it has been logged on the server."
                : status.getReasonPhrase() + ".";
    }
}
