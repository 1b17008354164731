package studio.grounding.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import studio.grounding.mask.Rle;

/**
 * Fault harness (issue 9): runs the packaged jar ({@code java -jar grounding-studio.jar}, a temporary data directory,
 * loopback) under writes from several threads through the REST API, records every acknowledged (2xx) write, injects a
 * fault, lets the platform recover, and counts which acknowledged writes are still there.
 *
 * <p>Scenarios: {@code server-kill} (kill -9 the server, start it again), {@code postgres-kill} (kill -9 the embedded
 * postmaster; the server's supervisor restarts it), {@code postgres-stop} (fast shutdown of the embedded PostgreSQL
 * under load; the supervisor restarts it), {@code import-kill} (kill -9 an import CLI attached to the server's
 * database; the next CLI attach marks its run FAILED (interrupted), the records it committed stay). A write is the
 * creation of an API token ({@code POST /api/v1/tokens}, one committed insert answered 201); the check lists the
 * tokens afterwards. Run by {@code ./studio bench faults [SCENARIOS|all] [THREADS] [SECONDS]}.
 */
public final class FaultHarness {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** How long a server start may take: minutes on a loaded 2-CPU machine. */
    private static final Duration STARTUP = Duration.ofSeconds(480);
    private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"");

    private final Path jar;
    private final int threads;
    private final Duration writing;

    private FaultHarness(Path jar, int threads, Duration writing) {
        this.jar = jar;
        this.threads = threads;
        this.writing = writing;
    }

    record Result(String scenario, long acknowledged, long lost, long failedRequests, Long recoveryMillis, String notes) {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "frontend/target/grounding-studio.jar").toAbsolutePath();
        List<String> scenarios = args.length > 1 && !args[1].equals("all") ? List.of(args[1].split(","))
                : List.of("server-kill", "postgres-kill", "postgres-stop", "import-kill");
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("No jar at " + jar + ": build it first (./studio build)");
        }
        FaultHarness harness = new FaultHarness(jar, threads, Duration.ofSeconds(seconds));
        List<Result> results = new ArrayList<>();
        boolean failed = false;
        for (String scenario : scenarios) {
            System.out.println("== " + scenario);
            Result result;
            try {
                result = harness.run(scenario.strip());
            } catch (Exception e) {
                // one scenario that could not run (the machine too loaded to start the server, say) does not hide the others
                result = new Result(scenario, 0, 0, 0, null, "DID NOT RUN: " + e.getMessage());
                failed = true;
            }
            System.out.println("   " + result);
            results.add(result);
        }
        StringBuilder table = new StringBuilder("| scenario | acknowledged writes | lost | failed requests | recovery | notes |\n"
                + "|---|---:|---:|---:|---:|---|\n");
        for (Result r : results) {
            table.append("| ").append(r.scenario()).append(" | ").append(r.acknowledged()).append(" | ").append(r.lost())
                    .append(" | ").append(r.failedRequests()).append(" | ")
                    .append(r.recoveryMillis() == null ? "—" : String.format("%.1f s", r.recoveryMillis() / 1000.0))
                    .append(" | ").append(r.notes()).append(" |\n");
        }
        System.out.println();
        System.out.println("Faults, " + Instant.now() + ", " + threads + " writer threads, " + seconds + " s of writes per scenario, "
                + Runtime.getRuntime().availableProcessors() + " CPUs, load " + Files.readString(Path.of("/proc/loadavg")).strip());
        System.out.print(table);
        Path out = Path.of("target/benchmarks/faults.md").toAbsolutePath();
        Files.createDirectories(out.getParent());
        Files.writeString(out, table.toString());
        System.out.println("(also in " + out + ")");
        if (failed || results.stream().anyMatch(r -> r.lost() > 0)) {
            System.exit(1);
        }
    }

    Result run(String scenario) throws Exception {
        Path dataDir = Files.createTempDirectory("studio-faults-");
        int port = freePort();
        Server server = new Server(jar, dataDir, port);
        try {
            server.start("server-1");
            String token = server.bootstrapAdminToken();
            Path importFile = scenario.equals("import-kill") ? importData(dataDir.resolve("import"), 3000) : null;
            Writers writers = new Writers(server, token, threads);
            writers.start();
            sleep(writing.dividedBy(3));
            Instant faultAt = Instant.now();
            String notes;
            switch (scenario) {
                case "server-kill" -> {
                    server.kill();
                    server.start("server-2");
                    notes = "server restarted at once; it stops the orphaned PostgreSQL and starts its own";
                }
                case "postgres-kill" -> {
                    long pid = server.postmasterPid();
                    signal(pid, "KILL");
                    server.awaitGone(pid);
                    notes = "postmaster " + pid + " killed; restarted by the supervisor";
                }
                case "postgres-stop" -> {
                    long pid = server.postmasterPid();
                    signal(pid, "INT");
                    server.awaitGone(pid);
                    notes = "postmaster " + pid + " fast shutdown (SIGINT); restarted by the supervisor";
                }
                case "import-kill" -> notes = importKill(server, dataDir, importFile);
                default -> throw new IllegalArgumentException("unknown scenario " + scenario);
            }
            // recovery: from the fault to the first write acknowledged that was sent after the fault had struck
            writers.faultAt(faultAt);
            Long recovery = scenario.equals("import-kill") ? null : writers.awaitAckAfterFault(Duration.ofSeconds(120));
            sleep(writing.dividedBy(3));
            writers.stop();
            Set<String> stored = server.tokenNames(token);
            long lost = writers.acknowledged.stream().filter(name -> !stored.contains(name)).count();
            return new Result(scenario, writers.acknowledged.size(), lost, writers.failures.get(), recovery, notes);
        } finally {
            server.stop();
            server.keepLogs(scenario);
            deleteRecursively(dataDir);
        }
    }

    private String importKill(Server server, Path dataDir, Path importFile) throws Exception {
        Process cli = server.cli("import-cli", "import", "grandf", "--dataset", "faults", "--annotations", importFile.toString(),
                "--images", importFile.getParent().resolve("images").toString());
        long deadline = System.nanoTime() + STARTUP.toNanos();
        long itemsAtKill;
        while (true) {
            long items = server.count("select count(*) from items i join datasets d on d.id = i.dataset_id where d.name = 'faults'");
            if (items >= 200 || !cli.isAlive()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                cli.destroyForcibly().waitFor();
                throw new IllegalStateException("the import stored no 200 records in " + STARTUP.toSeconds() + " s");
            }
            sleep(Duration.ofMillis(100));
        }
        if (!cli.isAlive()) {
            throw new IllegalStateException("the import finished before it could be killed: use a bigger file");
        }
        cli.destroyForcibly().waitFor();
        itemsAtKill = server.count("select count(*) from items i join datasets d on d.id = i.dataset_id where d.name = 'faults'");
        String before = server.text("select status from import_runs order by id desc limit 1");
        Process attach = server.cli("attach-cli", "snapshot", "list", "--dataset", "faults");
        attach.waitFor();
        String after = server.text("select status || ': ' || coalesce(failure, '') from import_runs order by id desc limit 1");
        long itemsAfter = server.count("select count(*) from items i join datasets d on d.id = i.dataset_id where d.name = 'faults'");
        if (itemsAfter != itemsAtKill || !after.startsWith("FAILED: interrupted")) {
            throw new IllegalStateException("import-kill: items " + itemsAtKill + " at the kill, " + itemsAfter
                    + " after; run " + after);
        }
        return "import (3000 records) killed after " + itemsAtKill + " stored; run " + before + " → " + after
                + " at the next CLI attach; its " + itemsAfter + " committed items kept";
    }

    /** Writers: each thread creates tokens named {@code w<thread>-<n>} until stopped, remembering each 201. */
    static final class Writers {
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        final AtomicLong failures = new AtomicLong();
        private final Server server;
        private final String token;
        private final List<Thread> workers = new ArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private volatile Instant faultAt;
        private volatile Instant firstAckAfterFault;

        Writers(Server server, String token, int threads) {
            this.server = server;
            this.token = token;
            for (int t = 0; t < threads; t++) {
                int id = t;
                workers.add(Thread.ofPlatform().name("writer-" + t).unstarted(() -> write(id)));
            }
        }

        void start() {
            workers.forEach(Thread::start);
        }

        void faultAt(Instant at) {
            faultAt = at;
        }

        private void write(int thread) {
            for (long n = 0; running.get(); n++) {
                String name = "w" + thread + "-" + n;
                Instant sent = Instant.now();
                try {
                    HttpResponse<String> response = HTTP.send(server.request("/api/v1/tokens", token)
                            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}"))
                            .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() / 100 == 2) {
                        acknowledged.add(name);
                        Instant at = Instant.now();
                        Instant fault = faultAt;
                        if (fault != null && firstAckAfterFault == null && sent.isAfter(fault)) {
                            firstAckAfterFault = at;
                        }
                        continue;
                    }
                } catch (IOException e) {
                    // the server is gone or restarting: not acknowledged
                } catch (InterruptedException e) {
                    return;
                }
                failures.incrementAndGet();
                sleep(Duration.ofMillis(50));
            }
        }

        /** Milliseconds from the fault to the first acknowledged write after it. */
        Long awaitAckAfterFault(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (firstAckAfterFault == null) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no write was acknowledged within " + timeout + " of the fault");
                }
                sleep(Duration.ofMillis(20));
            }
            return Duration.between(faultAt, firstAckAfterFault).toMillis();
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : workers) {
                t.join();
            }
        }
    }

    /** The packaged platform as a child process on a data directory. */
    static final class Server {
        private final Path jar;
        private final Path dataDir;
        private final int port;
        private final String adminPassword = "fault-harness-" + System.nanoTime();
        private Process process;

        Server(Path jar, Path dataDir, int port) {
            this.jar = jar;
            this.dataDir = dataDir;
            this.port = port;
        }

        void start(String name) throws Exception {
            process = launch(name, "serve");
            long deadline = System.nanoTime() + STARTUP.toNanos();
            while (true) {
                try {
                    int status = HTTP.send(request("/api/v1/tokens", null).GET().build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode();
                    if (status == 401) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException("the server exited with " + process.exitValue() + "; see " + log(name));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the server did not start in " + STARTUP.toSeconds() + " s; see " + log(name));
                }
                sleep(Duration.ofMillis(200));
            }
        }

        Process cli(String name, String... args) throws IOException {
            return launch(name, args);
        }

        private Process launch(String name, String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-Xmx768m", "-jar", jar.toString()));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log(name).toFile());
            builder.environment().put("STUDIO_DATA_DIR", dataDir.toString());
            builder.environment().put("STUDIO_PORT", Integer.toString(port));
            builder.environment().put("STUDIO_ADDRESS", "127.0.0.1");
            builder.environment().put("STUDIO_ADMIN_PASSWORD", adminPassword);
            builder.environment().put("STUDIO_DEMO_ENABLED", "false");
            builder.environment().put("DJL_OFFLINE", "true");
            builder.environment().put("OPT_OUT_TRACKING", "true");
            builder.environment().remove("SPRING_DATASOURCE_URL");
            return builder.start();
        }

        private Path log(String name) {
            return dataDir.resolve(name + ".log");
        }

        HttpRequest.Builder request(String path, String token) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(15));
            return token == null ? builder : builder.header("Authorization", "Bearer " + token);
        }

        /** What an operator with the data directory can do: a token for admin, stored (hashed) with the secret file. */
        String bootstrapAdminToken() throws Exception {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String token = "gs_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
            try (Connection c = connect(); PreparedStatement s = c.prepareStatement(
                    "insert into api_tokens (user_id, name, token_hash, prefix) select id, 'fault-harness', ?, ? from users where username = 'admin'")) {
                s.setString(1, hash);
                s.setString(2, token.substring(0, 10));
                // the admin account is created once the server has started: wait for it
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (s.executeUpdate() != 1) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("no admin user after 120 s");
                    }
                    sleep(Duration.ofMillis(200));
                }
            }
            return token;
        }

        Set<String> tokenNames(String token) throws Exception {
            HttpResponse<String> response;
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (true) {
                response = HTTP.send(request("/api/v1/tokens", token).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    break;
                }
                if (response.statusCode() != 503 || System.nanoTime() > deadline) {
                    throw new IllegalStateException("listing the tokens: " + response.statusCode() + " " + response.body());
                }
                sleep(Duration.ofMillis(200));
            }
            Set<String> names = ConcurrentHashMap.newKeySet();
            Matcher m = NAME.matcher(response.body());
            while (m.find()) {
                names.add(m.group(1));
            }
            return names;
        }

        void awaitGone(long pid) {
            while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !isZombie(pid)) {
                sleep(Duration.ofMillis(5));
            }
        }

        private static boolean isZombie(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
            } catch (IOException | RuntimeException e) {
                return true;
            }
        }

        void keepLogs(String scenario) throws IOException {
            Path dir = Files.createDirectories(Path.of("target/benchmarks"));
            try (Stream<Path> logs = Files.list(dataDir)) {
                for (Path log : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
                    Files.copy(log, dir.resolve("faults-" + scenario + "-" + log.getFileName()),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }

        long postmasterPid() throws IOException {
            return Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(0).strip());
        }

        Connection connect() throws IOException, SQLException {
            String pgPort = Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(3).strip();
            Properties p = new Properties();
            p.setProperty("user", "postgres");
            p.setProperty("password", Files.readString(dataDir.resolve("postgres-secret")).strip());
            return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres", p);
        }

        long count(String sql) throws Exception {
            return Long.parseLong(text(sql));
        }

        String text(String sql) throws Exception {
            try (Connection c = connect(); ResultSet r = c.createStatement().executeQuery(sql)) {
                r.next();
                return r.getString(1);
            }
        }

        void kill() throws InterruptedException {
            process.destroyForcibly().waitFor();
        }

        void stop() throws InterruptedException {
            if (process != null && process.isAlive()) {
                process.destroy();   // SIGTERM: a graceful stop, the embedded PostgreSQL with it
                if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
            // a postmaster left over (e.g. after server-kill without restart) must not outlive the run
            try {
                long pid = postmasterPid();
                if (ProcessHandle.of(pid).isPresent()) {
                    signal(pid, "INT");
                    sleep(Duration.ofSeconds(2));
                }
            } catch (IOException | RuntimeException ignored) {
                // no pid file: it stopped
            }
        }
    }

    /** A GranD_f file of {@code records} records with tiny images, big enough to be killed halfway. */
    static Path importData(Path dir, int records) throws IOException {
        Path images = Files.createDirectories(dir.resolve("images"));
        int h = 15;
        int w = 20;
        byte[] bitmap = new byte[h * w];
        for (int x = 2; x < 9; x++) {
            for (int y = 3; y < 11; y++) {
                bitmap[x * h + y] = 1;
            }
        }
        String counts = Rle.encode(bitmap, h, w).toCompressedString().replace("\\", "\\\\").replace("\"", "\\\"");
        StringBuilder json = new StringBuilder("[\n");
        for (int i = 0; i < records; i++) {
            java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
            image.setRGB(i % w, (i / w) % h, 0xff8800 + i);
            ImageIO.write(image, "png", images.resolve("f_" + i + ".png").toFile());
            json.append("{\"image_id\":\"f_").append(i).append("\",\"file_name\":\"f_").append(i).append(".png\",\"height\":")
                    .append(h).append(",\"width\":").append(w).append(",\"caption\":\"A man rides.\",\"groundings\":{\"A man\":")
                    .append("{\"token_positives\":[0,5],\"rle_masks\":[{\"size\":[").append(h).append(",").append(w)
                    .append("],\"counts\":\"").append(counts).append("\"}]}}}").append(i < records - 1 ? ",\n" : "\n]");
        }
        Path file = dir.resolve("GranDf_HA_GCG_train.json");
        Files.writeString(file, json);
        return file;
    }

    static void signal(long pid, String signal) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
    }

    static int freePort() throws IOException {
        for (int port = 18091; port <= 18099; port++) {
            try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // next
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
