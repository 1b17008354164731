package studio.grounding.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * The security chains' answers as RFC 9457 problem details: 401 with {@code WWW-Authenticate: Bearer} (RFC 6750,
 * {@code error="invalid_token"} for a bad token) and 403 for a role too low.
 */
final class ProblemResponses {

    static final String REALM = "grounding-studio";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ProblemResponses() {
    }

    static AuthenticationEntryPoint unauthorized() {
        return (request, response, exception) -> {
            boolean invalidToken = exception instanceof InvalidApiTokenException;
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, invalidToken
                    ? "Bearer realm=\"" + REALM + "\", error=\"invalid_token\", error_description=\"The token is invalid or revoked\""
                    : "Bearer realm=\"" + REALM + "\"");
            write(request, response, HttpStatus.UNAUTHORIZED, invalidToken
                    ? "The bearer token is invalid or has been revoked."
                    : "Authentication required: send an API token as 'Authorization: Bearer <token>'.");
        };
    }

    static AccessDeniedHandler forbidden() {
        return (request, response, exception) -> write(request, response, HttpStatus.FORBIDDEN,
                "Your role does not allow this request.");
    }

    private static void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status,
                              String detail) throws IOException {
        write(response, status, detail, request.getRequestURI());
    }

    /** Writes problem details with this status, detail and {@code instance} (the request's path). */
    static void write(HttpServletResponse response, HttpStatus status, String detail, String instance)
            throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", status.getReasonPhrase());
        body.put("status", status.value());
        body.put("detail", detail);
        body.put("instance", instance);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        JSON.writeValue(response.getOutputStream(), body);
    }
}
