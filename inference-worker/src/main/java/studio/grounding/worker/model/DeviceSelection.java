package studio.grounding.worker.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GLAMM_DEVICE} to a DJL device, said out loud: which engine, native flavour and device run GLaMM. The build
 * ships only the CPU native library, so {@code auto} on a GPU machine without a CUDA libtorch runs on the CPU: that
 * is logged as a warning, and an explicit {@code gpu}/{@code cuda} without a CUDA engine is a startup error rather
 * than a silent CPU run (or a crash at the first job).
 */
public final class DeviceSelection {

    private static final Logger log = LoggerFactory.getLogger(DeviceSelection.class);

    private DeviceSelection() {}

    /** Resolves against the PyTorch engine DJL loads (offline), and logs the choice. */
    public static Device resolve(String spec) {
        DjlOffline.enforce();
        Engine engine = Engine.getEngine("PyTorch");
        String describe = describe(engine);
        Device d = resolve(spec, engine.getGpuCount(), describe);
        log.info("GLaMM runs on {} ({}; GLAMM_DEVICE={})", torchName(d), describe, spec == null ? "auto" : spec);
        return d;
    }

    /** The choice itself, for a given number of CUDA devices the engine sees. */
    static Device resolve(String spec, int gpuCount, String engine) {
        String s = spec == null || spec.isBlank() ? "auto" : spec.strip().toLowerCase(Locale.ROOT);
        switch (s) {
            case "auto" -> {
                if (gpuCount > 0) {
                    return Device.gpu();
                }
                log.warn("GLAMM_DEVICE=auto and the PyTorch engine sees no CUDA device ({}): running GLaMM on the "
                        + "CPU. For a GPU run the worker with a CUDA libtorch (inference-worker/README.md, GPU)",
                        engine);
                return Device.cpu();
            }
            case "cpu" -> {
                return Device.cpu();
            }
            default -> {
                int index;
                if (s.equals("gpu") || s.equals("cuda")) {
                    index = 0;
                } else if (s.matches("(gpu|cuda):\\d{1,3}")) {
                    index = Integer.parseInt(s.substring(s.indexOf(':') + 1));
                } else {
                    throw new IllegalArgumentException(
                            "GLAMM_DEVICE must be auto, cpu, gpu, gpu:N, cuda or cuda:N, not " + spec);
                }
                if (index >= gpuCount) {
                    throw new IllegalStateException("GLAMM_DEVICE=" + spec + " but the PyTorch engine sees "
                            + gpuCount + " CUDA device(s) (" + engine + "). This build ships the CPU native library "
                            + "only: run the worker with a CUDA libtorch (PYTORCH_LIBRARY_PATH, PYTORCH_FLAVOR=cu128; "
                            + "inference-worker/README.md, GPU) or set GLAMM_DEVICE=cpu");
                }
                return Device.gpu(index);
            }
        }
    }

    /** The device as torch names it ({@code cpu}, {@code cuda:N}): what glamm.json records as the export device. */
    public static String torchName(Device d) {
        return d.isGpu() ? "cuda:" + d.getDeviceId() : d.getDeviceType();
    }

    static String describe(Engine engine) {
        String lib = libtorchPath();
        String flavor = System.getenv("PYTORCH_FLAVOR");
        if (flavor == null) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\d+\\.\\d+\\.\\d+-([a-z0-9]+)-")
                    .matcher(lib);
            flavor = m.find() ? m.group(1) : "unknown";
        }
        return "engine " + engine.getEngineName() + " " + engine.getVersion() + ", native flavour " + flavor
                + " (" + lib + "), " + engine.getGpuCount() + " CUDA device(s) visible";
    }

    /** Where DJL loaded libtorch from (its cache folder names version and flavour, e.g. 2.7.1-cpu-linux-x86_64). */
    private static String libtorchPath() {
        try {
            Object p = Class.forName("ai.djl.pytorch.jni.LibUtils").getMethod("getLibtorchPath").invoke(null);
            return String.valueOf(p);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return "libtorch path unknown";
        }
    }
}
