package studio.grounding.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.context.ConfigurableApplicationContext;
import studio.grounding.GroundingStudioApplication;
import studio.grounding.cli.StudioCli;

/**
 * The packaged platform jar ({@code frontend/target/grounding-studio.jar}) running as a user runs it: a child
 * process {@code java -jar grounding-studio.jar serve}, as {@code ./studio} starts it, on a fresh temporary
 * {@code STUDIO_DATA_DIR}, a free loopback {@code STUDIO_PORT} and {@code STUDIO_ADMIN_PASSWORD} from the
 * environment (so the demo dataset is seeded and the {@code admin} account exists).
 *
 * <p>The jar is the one named by the system property {@code studio.jar} (the failsafe configuration of the modules
 * that use it sets it); a missing jar fails the test with a message saying how to build it. Its output goes to
 * {@code target/packaged-platform.log}. Tests get the one instance of their JVM through
 * {@link PackagedPlatformExtension}, which stops it (and the embedded PostgreSQL it started) at the end of the test
 * run, failed or not; a JVM shutdown hook stops it too if the run ends otherwise.
 */
public final class PackagedPlatform implements AutoCloseable {

    /** The password of the {@code admin} account the platform creates on its first start. */
    public static final String ADMIN_PASSWORD = "packaged-jar-admin-password";
    private static final Pattern TOKEN = Pattern.compile("gs_[A-Za-z0-9_-]{43}");
    private static final Duration STARTUP = Duration.ofMinutes(4);
    private static final Duration CLI_RUN = Duration.ofMinutes(3);

    private final Path jar;
    private final Path dataDir;
    private final Path log;
    private final String url;
    private final Process process;
    private final Thread shutdownHook;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private ConfigurableApplicationContext attached;
    private boolean closed;

    private PackagedPlatform(Path jar, Path dataDir, Path log, int port, Process process) {
        this.jar = jar;
        this.dataDir = dataDir;
        this.log = log;
        this.url = "http://127.0.0.1:" + port;
        this.process = process;
        this.shutdownHook = new Thread(this::stop, "packaged-platform-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** The jar this run tests: system property {@code studio.jar}; fails clearly when it has not been built. */
    public static Path jar() {
        String property = System.getProperty("studio.jar");
        if (property == null || property.isBlank()) {
            throw new AssertionError("System property studio.jar is not set: it names the packaged platform jar "
                    + "(frontend/target/grounding-studio.jar) these tests start; run them with mvn verify");
        }
        Path jar = Path.of(property).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("The packaged platform jar " + jar + " is missing: build it first "
                    + "(mvn -DskipTests package, or run these tests in mvn verify, which packages before them)");
        }
        return jar;
    }

    /** Starts the jar and waits until its login page answers 200. */
    static PackagedPlatform start() {
        Path jar = jar();
        try {
            Path dataDir = Files.createTempDirectory("studio-jar-it-");
            Path log = Path.of("target", "packaged-platform.log").toAbsolutePath();
            Files.createDirectories(log.getParent());
            int port = freePort();
            ProcessBuilder builder = new ProcessBuilder(java(), "-Xmx1g", "-Djava.awt.headless=true", "-jar",
                    jar.toString(), "serve");
            environment(builder.environment(), dataDir);
            builder.environment().put("STUDIO_PORT", Integer.toString(port));
            builder.environment().put("STUDIO_ADMIN_PASSWORD", ADMIN_PASSWORD);
            builder.redirectErrorStream(true).redirectOutput(log.toFile());
            PackagedPlatform platform = new PackagedPlatform(jar, dataDir, log, port, builder.start());
            try {
                platform.awaitReady();
            } catch (RuntimeException | Error e) {
                platform.close();
                throw e;
            }
            return platform;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + jar, e);
        }
    }

    /** Everything a process of the platform (the server or a CLI job) gets from its environment here. */
    private static void environment(Map<String, String> env, Path dataDir) {
        env.keySet().removeIf(name -> name.startsWith("SPRING_") || name.startsWith("STUDIO_") || name.equals("JAVA_OPTS"));
        env.put("STUDIO_DATA_DIR", dataDir.toString());
        env.put("STUDIO_ADDRESS", "127.0.0.1");
        env.put("DJL_OFFLINE", "true");
        env.put("OPT_OUT_TRACKING", "true");
    }

    private void awaitReady() {
        long end = System.nanoTime() + STARTUP.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError("The packaged platform exited with status " + process.exitValue()
                        + " while starting; its log " + log + " ends:\n" + logTail());
            }
            try {
                HttpResponse<Void> login = http.send(HttpRequest.newBuilder(URI.create(url + "/login"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
                if (login.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while the packaged platform started", e);
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("The packaged platform did not answer /login with 200 within " + STARTUP
                        + "; its log " + log + " ends:\n" + logTail());
            }
            sleep(500);
        }
    }

    /** The base URL, {@code http://127.0.0.1:PORT}. */
    public String url() {
        return url;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** {@code GET path} on the jar, with {@code Authorization: Bearer token} unless the token is null. */
    public HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url + path)).GET(), token);
    }

    /** {@code POST path} of a JSON body on the jar, with the token as in {@link #get}. */
    public HttpResponse<String> post(String path, String token, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), token);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String token) throws IOException, InterruptedException {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A command-line run of the jar: {@code java -jar grounding-studio.jar ARGS} on the server's data directory. */
    public CliRun cli(String... args) {
        try {
            Path err = Files.createTempFile(log.getParent(), "packaged-cli-", ".err");
            Path out = Files.createTempFile(log.getParent(), "packaged-cli-", ".out");
            List<String> command = new ArrayList<>(List.of(java(), "-Xmx512m", "-Djava.awt.headless=true", "-jar",
                    jar.toString()));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command);
            environment(builder.environment(), dataDir);
            builder.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process cli = builder.start();
            try {
                if (!cli.waitFor(CLI_RUN.toSeconds(), TimeUnit.SECONDS)) {
                    cli.destroyForcibly().waitFor();
                    throw new AssertionError("java -jar " + jar.getFileName() + " " + String.join(" ", args)
                            + " did not end within " + CLI_RUN + "; stderr:\n" + Files.readString(err));
                }
            } catch (InterruptedException e) {
                cli.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            CliRun run = new CliRun(cli.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A new API token for a user, as a first-time setup gets one: {@code ./studio token create --user U --name N}.
     * Fails unless the command succeeded and printed the token alone on stdout.
     */
    public String createToken(String user, String name) {
        CliRun run = cli("token", "create", "--user", user, "--name", name);
        if (run.code() != 0 || !TOKEN.matcher(run.out().strip()).matches() || !run.out().equals(run.out().strip() + "\n")) {
            throw new AssertionError("token create --user " + user + " exited " + run.code()
                    + " and did not print the token alone on stdout.\nstdout:\n" + run.out() + "\nstderr:\n" + run.err());
        }
        return run.out().strip();
    }

    /**
     * The platform's services in this JVM, attached to the jar's embedded database as a CLI job attaches (no web
     * server): for test data, and to check what the jar stored. Started on first use, closed with the jar.
     */
    public synchronized ConfigurableApplicationContext attached() {
        if (attached == null) {
            attached = StudioCli.jobApplication(GroundingStudioApplication.class)
                    .run("--studio.data-dir=" + dataDir, "--studio.demo.enabled=false");
        }
        return attached;
    }

    /** The output of the server so far (its last lines), for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(log " + log + " unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }

    /** Stops the attached context, then the server (SIGTERM, its PostgreSQL with it), then deletes the data. */
    private synchronized void stop() {
        if (closed) {
            return;
        }
        closed = true;
        if (attached != null) {
            attached.close();
        }
        // the embedded PostgreSQL runs as children of the server: remember them, in case the server must be killed
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            for (ProcessHandle child : children) {
                if (child.isAlive()) {
                    child.destroy();
                    child.onExit().get(20, TimeUnit.SECONDS);
                }
            }
        } catch (Exception e) {
            children.forEach(ProcessHandle::destroyForcibly);
        }
        try (Stream<Path> paths = Files.walk(dataDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory; nothing else to do
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** What a command-line run of the jar did. */
    public record CliRun(int code, String out, String err) {
    }
}
