package studio.grounding.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import studio.grounding.worker.jobs.InteractiveLoop;
import studio.grounding.worker.jobs.InteractiveSettings;
import studio.grounding.worker.jobs.JobLoop;
import studio.grounding.worker.jobs.PlatformClient;
import studio.grounding.worker.jobs.Predictor;
import studio.grounding.worker.jobs.StatusServer;
import studio.grounding.worker.jobs.WorkerMetrics;
import studio.grounding.worker.jobs.WorkerSettings;
import studio.grounding.worker.model.DjlOffline;
import studio.grounding.worker.model.GlammModel;

/**
 * The GLaMM pre-fill worker: a plain main (no web server, no Spring context). It reads {@link WorkerSettings} from
 * the environment, loads one {@link GlammModel} per concurrent slot, and runs the {@link JobLoop} against the
 * platform until SIGTERM/SIGINT, when a shutdown hook stops claiming, lets running jobs finish within
 * {@code WORKER_GRACE_SECONDS} and hands back the rest.
 *
 * <p>DJL is switched offline before anything else runs: {@code ai.djl.offline=true} and {@code OPT_OUT_TRACKING=true}
 * as system properties; the worker refuses to start when {@code DJL_OFFLINE} or {@code OPT_OUT_TRACKING} is set to
 * something other than true in the environment.
 */
public final class InferenceWorkerApplication {

    private static final Logger log = LoggerFactory.getLogger(InferenceWorkerApplication.class);

    private InferenceWorkerApplication() {}

    public static void main(String[] args) throws Exception {
        DjlOffline.enforce();
        WorkerSettings settings;
        InteractiveSettings interactiveSettings;
        try {
            settings = WorkerSettings.fromEnvironment();
            interactiveSettings = InteractiveSettings.from(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("inference-worker: " + e.getMessage() + " (see inference-worker/README.md)");
            System.exit(2);
            return;
        }
        log.info("starting with {}", settings);
        WorkerMetrics metrics = new WorkerMetrics();
        StatusServer status = null;
        if (settings.metricsEnabled()) {   // up before the models load: /health says DOWN (model not loaded) meanwhile
            status = StatusServer.start(settings.metricsAddress(), settings.metricsPort(), metrics);
            log.info("metrics and health on http://{}:{}/metrics and /health", settings.metricsAddress().getHostAddress(),
                    status.port());
        }
        List<GlammModel> models = new ArrayList<>();
        List<Predictor> predictors = new ArrayList<>();
        for (int i = 0; i < settings.concurrency(); i++) {
            GlammModel m = GlammModel.load(settings.modelDir(), GlammModel.device(settings.device()));
            models.add(m);
            predictors.add(Predictor.of(m));
        }
        metrics.modelsLoaded(models.size());
        JobLoop loop = new JobLoop(new PlatformClient(settings.studioUrl(), settings.token()), predictors,
                settings.batch(), settings.leaseSeconds(), settings.instance(), Duration.ofSeconds(1),
                Duration.ofSeconds(30), metrics);
        InteractiveLoop interactive = null;
        if (interactiveSettings.enabled() && models.getFirst().hasPromptDecoder()) {
            // shares slot 0's loaded parts (only the stateless grounding encoder and prompt decoder): no second
            // copy of SAM, and its own thread, so a request never waits behind a batch
            interactive = new InteractiveLoop(new PlatformClient(settings.studioUrl(), settings.token()),
                    models.getFirst().interactive(interactiveSettings.cacheBytes()), interactiveSettings.modelName(),
                    Duration.ofSeconds(20));
            interactive.start();
        } else {
            log.info("no interactive requests: {}", interactiveSettings.enabled()
                    ? settings.modelDir() + " has no prompt_decoder.pt" : "WORKER_MODEL_NAME is not set");
        }
        InteractiveLoop interactiveLoop = interactive;
        StatusServer statusServer = status;
        AtomicBoolean shuttingDown = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("worker-shutdown").unstarted(() -> {
            shuttingDown.set(true);
            if (interactiveLoop != null) {
                interactiveLoop.stop();
            }
            log.info("shutting down: no more claims, {} for running jobs", settings.grace());
            boolean clean = loop.stop(settings.grace());
            log.info("stopped ({}); submitted {}, failed {}, handed back {}, dropped {}",
                    clean ? "clean" : "jobs handed back", loop.submittedCount(), loop.failedCount(),
                    loop.handedBackCount(), loop.droppedCount());
            models.forEach(GlammModel::close);
            if (statusServer != null) {
                statusServer.close();
            }
        }));
        loop.start().join();
        if (!shuttingDown.get()) {   // the loop ended without a shutdown: exit, which runs the hook
            log.error("job loop ended unexpectedly");
            System.exit(1);
        }
    }
}
