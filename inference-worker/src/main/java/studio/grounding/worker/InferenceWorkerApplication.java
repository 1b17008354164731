package studio.grounding.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import studio.grounding.worker.model.DjlOffline;

/**
 * The GLaMM pre-fill worker. The model side lives in {@code studio.grounding.worker.model}; the job side (claims,
 * leases) is not written yet.
 *
 * <p>DJL is switched offline before anything else runs: {@code ai.djl.offline=true} and {@code OPT_OUT_TRACKING=true}
 * as system properties; the worker refuses to start when {@code DJL_OFFLINE} or {@code OPT_OUT_TRACKING} is set to
 * something other than true in the environment.
 */
@SpringBootApplication
public class InferenceWorkerApplication {

    public static void main(String[] args) {
        DjlOffline.enforce();
        SpringApplication.run(InferenceWorkerApplication.class, args);
    }
}
