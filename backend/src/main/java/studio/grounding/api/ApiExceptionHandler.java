package studio.grounding.api;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import studio.grounding.annotation.InvalidDocumentException;
import studio.grounding.annotation.InvalidRevisionException;
import studio.grounding.assist.AssistFailedException;
import studio.grounding.assist.AssistTimeoutException;
import studio.grounding.assist.NoAssistWorkerException;
import studio.grounding.assist.UnknownAssistRequestException;
import studio.grounding.dataset.UnknownDatasetException;
import studio.grounding.evaluation.UnknownModelVersionException;
import studio.grounding.prefill.UnknownJobException;
import studio.grounding.security.UnknownTokenException;
import studio.grounding.security.UnknownUserException;
import studio.grounding.snapshot.UnknownSnapshotException;
import studio.grounding.training.UnknownRunException;

/**
 * Errors of the API's controllers as RFC 9457 problem details: unknown things 404, invalid input 400, a refused
 * state change 409; Spring MVC's own errors (a path variable of the wrong type, an unreadable body) by the base
 * class, as problem details too.
 */
@RestControllerAdvice(basePackageClasses = ApiExceptionHandler.class)
@Order(Ordered.HIGHEST_PRECEDENCE + 100)
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    @ExceptionHandler({UnknownDatasetException.class, UnknownTokenException.class, UnknownUserException.class,
            UnknownJobException.class, UnknownModelVersionException.class, UnknownSnapshotException.class,
            UnknownRunException.class})
    ProblemDetail notFound(RuntimeException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    /** A bad editor document: 400 with every problem ({@code field: reason}) in {@code problems}. */
    @ExceptionHandler(InvalidDocumentException.class)
    ProblemDetail invalidDocument(InvalidDocumentException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setProperty("problems", e.problems());
        return problem;
    }

    /** A revision that cannot be stored: 400 with every problem ({@code field: reason}) in {@code problems}. */
    @ExceptionHandler(InvalidRevisionException.class)
    ProblemDetail invalidRevision(InvalidRevisionException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setProperty("problems", e.problems().stream().map(p -> p.field() + ": " + p.reason()).toList());
        return problem;
    }

    /**
     * A body that is not JSON or does not fit the request type: 400 naming the field ({@code roles[0]},
     * {@code targets[1].comment}) and what is wrong, in the request's terms and without Java type names.
     */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, RequestBodyProblem.describe(ex));
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    @ExceptionHandler(NoAssistWorkerException.class)
    ProblemDetail noWorker(NoAssistWorkerException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
    }

    @ExceptionHandler(AssistTimeoutException.class)
    ProblemDetail assistTimeout(AssistTimeoutException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.GATEWAY_TIMEOUT, e.getMessage());
    }

    @ExceptionHandler(AssistFailedException.class)
    ProblemDetail assistFailed(AssistFailedException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY, e.getMessage());
    }

    @ExceptionHandler(UnknownAssistRequestException.class)
    ProblemDetail unknownAssist(UnknownAssistRequestException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badRequest(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(IllegalStateException.class)
    ProblemDetail conflict(IllegalStateException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }
}
