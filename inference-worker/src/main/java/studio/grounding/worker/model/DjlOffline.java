package studio.grounding.worker.model;

/**
 * Keeps DJL off the network. DJL calls home (a cloud metadata address and a telemetry bucket) at engine start unless
 * it runs offline or tracking is opted out, and it downloads native libraries and models unless offline. The worker
 * sets both switches as system properties before any DJL class is used, and refuses to start when the environment
 * switches them off ({@code DJL_OFFLINE} and {@code OPT_OUT_TRACKING} environment variables win over the properties
 * inside DJL).
 */
public final class DjlOffline {

    private DjlOffline() {}

    /** Call before the first use of any {@code ai.djl} class; idempotent. */
    public static void enforce() {
        refuseIfDisabled("DJL_OFFLINE");
        refuseIfDisabled("OPT_OUT_TRACKING");
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        // Not a network switch, but an engine default the worker wants before the engine starts: TorchScript's
        // profiling executor re-specialises the language model for every new KV-cache length, which makes each
        // decoding step slower rather than faster. An explicit -Dai.djl.pytorch.graph_optimizer=true still wins.
        if (System.getProperty("ai.djl.pytorch.graph_optimizer") == null) {
            System.setProperty("ai.djl.pytorch.graph_optimizer", "false");
        }
    }

    private static void refuseIfDisabled(String env) {
        String v = System.getenv(env);
        if (v != null && !v.isBlank() && !Boolean.parseBoolean(v.strip())) {
            throw new IllegalStateException(env + "=" + v + " in the environment would let DJL reach the network; "
                    + "unset it or set it to true");
        }
    }
}
