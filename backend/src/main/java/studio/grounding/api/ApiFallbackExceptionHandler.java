package studio.grounding.api;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Problem details for requests under {@code /api/} that no more specific handler answers:
 * <ul>
 *   <li>requests that reach no endpoint: an unknown path (404), a method the path does not have (405, with
 *       {@code Allow}) or a body type it does not take (415). These are raised before any controller is chosen, so
 *       {@link ApiExceptionHandler} (scoped to this package's controllers) does not see them;</li>
 *   <li>any other exception (a bug, a fault of a library): 500 with a generic detail and no stack trace or message
 *       (which may name internals), logged here with the request.</li>
 * </ul>
 * Without this they would go to the servlet error page, i.e. through the UI's filter chain (a redirect to the login
 * page). Another path, and a security exception (left to Spring Security's 401/403), is left to the next exception
 * resolver, as if this handler did not exist. Lowest precedence: every more specific handler comes first.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class ApiFallbackExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiFallbackExceptionHandler.class);

    @ExceptionHandler({NoResourceFoundException.class, HttpRequestMethodNotSupportedException.class,
            HttpMediaTypeNotSupportedException.class})
    ResponseEntity<ProblemDetail> noEndpoint(Exception exception, HttpServletRequest request) throws Exception {
        if (!isApi(request)) {
            throw exception; // not ours: handled further on as if this handler did not exist
        }
        ErrorResponse error = (ErrorResponse) exception;
        ProblemDetail body = error.getBody();
        body.setInstance(null);
        return ResponseEntity.status(error.getStatusCode()).headers(error.getHeaders()).body(body);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception exception, HttpServletRequest request) throws Exception {
        if (!isApi(request) || exception instanceof AccessDeniedException
                || exception instanceof AuthenticationException) {
            throw exception;
        }
        if (exception instanceof ErrorResponse error) {
            ProblemDetail body = error.getBody();
            body.setInstance(null);
            return ResponseEntity.status(error.getStatusCode()).headers(error.getHeaders()).body(body);
        }
        log.error("Unexpected error answering {} {}", request.getMethod(), request.getRequestURI(), exception);
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(ProblemDetail.forStatusAndDetail(
                HttpStatus.INTERNAL_SERVER_ERROR, "An unexpected error occurred; it has been logged on the server."));
    }

    private static boolean isApi(HttpServletRequest request) {
        return request.getRequestURI().startsWith(request.getContextPath() + "/api/");
    }
}
