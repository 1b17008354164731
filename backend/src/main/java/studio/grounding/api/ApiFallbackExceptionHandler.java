package studio.grounding.api;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Problem details for requests under {@code /api/} that reach no endpoint: an unknown path (404), a method the
 * path does not have (405, with {@code Allow}) or a body type it does not take (415). These are raised before any
 * controller is chosen, so {@link ApiExceptionHandler} (scoped to this package's controllers) does not see them;
 * without this they would go to the servlet error page, i.e. through the UI's filter chain. Any other path is
 * left to the next exception resolver, as if this handler did not exist.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class ApiFallbackExceptionHandler {

    @ExceptionHandler({NoResourceFoundException.class, HttpRequestMethodNotSupportedException.class,
            HttpMediaTypeNotSupportedException.class})
    ResponseEntity<ProblemDetail> noEndpoint(Exception exception, HttpServletRequest request) throws Exception {
        if (!request.getRequestURI().startsWith(request.getContextPath() + "/api/")) {
            throw exception; // not ours: handled further on as if this handler did not exist
        }
        ErrorResponse error = (ErrorResponse) exception;
        ProblemDetail body = error.getBody();
        body.setInstance(null);
        return ResponseEntity.status(error.getStatusCode()).headers(error.getHeaders()).body(body);
    }
}
