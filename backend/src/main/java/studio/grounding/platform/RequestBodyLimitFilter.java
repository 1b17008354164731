package studio.grounding.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds request bodies before anything buffers or parses them: a request under {@code /api/} may carry at most
 * {@code studio.api.max-request-bytes}, any other (the web UI's Vaadin requests) {@code studio.web.max-request-bytes}.
 * A declared {@code Content-Length} over the limit is refused before a byte is read; a body without one (chunked)
 * is counted while it streams and refused as soon as it passes the limit. Either way the answer is 413 as
 * {@code application/problem+json} naming the limit and its setting, and nothing was stored (the request never
 * reached the point of storing anything).
 */
class RequestBodyLimitFilter extends OncePerRequestFilter {

    static final String API_SETTING = "studio.api.max-request-bytes";
    static final String WEB_SETTING = "studio.web.max-request-bytes";
    private static final Logger log = LoggerFactory.getLogger(RequestBodyLimitFilter.class);

    private final long apiLimit;
    private final long webLimit;

    RequestBodyLimitFilter(DataSize apiLimit, DataSize webLimit) {
        if (apiLimit.toBytes() <= 0 || webLimit.toBytes() <= 0) {
            throw new IllegalArgumentException(API_SETTING + " and " + WEB_SETTING + " must be positive");
        }
        this.apiLimit = apiLimit.toBytes();
        this.webLimit = webLimit.toBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean api = request.getRequestURI().startsWith(request.getContextPath() + "/api/");
        long limit = api ? apiLimit : webLimit;
        String setting = api ? API_SETTING : WEB_SETTING;
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            refuse(request, response, limit, setting, "declares " + declared + " bytes");
            return;
        }
        CountingRequest counting = new CountingRequest(request, limit);
        try {
            chain.doFilter(counting, new GuardedResponse(response, counting));
        } catch (IOException | ServletException | RuntimeException e) {
            if (!counting.exceeded) {
                throw e;
            }
        }
        if (counting.exceeded) {
            if (response.isCommitted()) {
                log.warn("{} {}: the body passed {} bytes ({}) after the response was committed",
                        request.getMethod(), request.getRequestURI(), limit, setting);
                return;
            }
            response.reset();
            refuse(request, response, limit, setting, "passed the limit while streaming");
        }
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, long limit, String setting,
                               String what) throws IOException {
        log.info("Refused {} {}: the body {} (limit {} bytes, {})", request.getMethod(), request.getRequestURI(), what,
                limit, setting);
        response.setStatus(HttpStatus.CONTENT_TOO_LARGE.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        // no keep-alive: the rest of an unread body is not worth reading
        response.setHeader("Connection", "close");
        String detail = "The request body is larger than the limit of " + limit + " bytes (" + human(limit)
                + ", setting " + setting + ").";
        byte[] body = ("{\"type\":\"about:blank\",\"title\":\"Content Too Large\",\"status\":413,"
                + "\"detail\":\"" + detail + "\",\"instance\":\"" + JsonText.escape(request.getRequestURI()) + "\","
                + "\"limitBytes\":" + limit + ",\"setting\":\"" + setting + "\"}").getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }

    private static String human(long bytes) {
        return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MB"
                : bytes % 1024 == 0 ? bytes / 1024 + " KB" : bytes + " B";
    }


    /** The request with its body counted; reading past the limit fails with {@link BodyTooLargeException}. */
    private static final class CountingRequest extends HttpServletRequestWrapper {

        private final long limit;
        private ServletInputStream stream;
        private BufferedReader reader;
        volatile boolean exceeded;

        CountingRequest(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new CountingStream(super.getInputStream());
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            if (reader == null) {
                String encoding = getCharacterEncoding();
                Charset charset = encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
                reader = new BufferedReader(new InputStreamReader(getInputStream(), charset));
            }
            return reader;
        }

        private final class CountingStream extends ServletInputStream {

            private final ServletInputStream in;
            private long count;

            CountingStream(ServletInputStream in) {
                this.in = in;
            }

            @Override
            public int read() throws IOException {
                int b = in.read();
                if (b >= 0) {
                    counted(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = in.read(buffer, offset, length);
                if (n > 0) {
                    counted(n);
                }
                return n;
            }

            private void counted(int n) throws BodyTooLargeException {
                count += n;
                if (count > limit) {
                    exceeded = true;
                    throw new BodyTooLargeException(limit);
                }
            }

            @Override
            public boolean isFinished() {
                return in.isFinished();
            }

            @Override
            public boolean isReady() {
                return in.isReady();
            }

            @Override
            public void setReadListener(ReadListener listener) {
                in.setReadListener(listener);
            }
        }
    }

    /**
     * The response as long as the body is within the limit. Once it has passed it, whatever the application still
     * writes (the error it makes of the failed read) is dropped and nothing commits the response, so that the filter
     * can answer 413 instead.
     */
    private static final class GuardedResponse extends HttpServletResponseWrapper {

        private final CountingRequest request;
        private ServletOutputStream stream;
        private PrintWriter writer;

        GuardedResponse(HttpServletResponse response, CountingRequest request) {
            super(response);
            this.request = request;
        }

        private boolean dropping() {
            return request.exceeded;
        }

        @Override
        public void sendError(int sc, String msg) throws IOException {
            if (!dropping()) {
                super.sendError(sc, msg);
            }
        }

        @Override
        public void sendError(int sc) throws IOException {
            if (!dropping()) {
                super.sendError(sc);
            }
        }

        @Override
        public void flushBuffer() throws IOException {
            if (!dropping()) {
                super.flushBuffer();
            }
        }

        @Override
        public boolean isCommitted() {
            return !dropping() && super.isCommitted();
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            if (stream == null) {
                ServletOutputStream out = super.getOutputStream();
                stream = new ServletOutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        if (!dropping()) {
                            out.write(b);
                        }
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        if (!dropping()) {
                            out.write(b, off, len);
                        }
                    }

                    @Override
                    public void flush() throws IOException {
                        if (!dropping()) {
                            out.flush();
                        }
                    }

                    @Override
                    public boolean isReady() {
                        return out.isReady();
                    }

                    @Override
                    public void setWriteListener(WriteListener listener) {
                        out.setWriteListener(listener);
                    }
                };
            }
            return stream;
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            if (writer == null) {
                PrintWriter out = super.getWriter();
                writer = new PrintWriter(new Writer() {
                    @Override
                    public void write(char[] buffer, int off, int len) {
                        if (!dropping()) {
                            out.write(buffer, off, len);
                        }
                    }

                    @Override
                    public void flush() {
                        if (!dropping()) {
                            out.flush();
                        }
                    }

                    @Override
                    public void close() {
                        if (!dropping()) {
                            out.close();
                        }
                    }
                });
            }
            return writer;
        }
    }

    /** The body passed the limit while it was being read. */
    static final class BodyTooLargeException extends IOException {

        BodyTooLargeException(long limit) {
            super("The request body passed the limit of " + limit + " bytes");
        }
    }
}
