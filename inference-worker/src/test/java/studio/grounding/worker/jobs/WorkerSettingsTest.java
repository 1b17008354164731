package studio.grounding.worker.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerSettingsTest {

    @Test
    void readsTheEnvironmentWithDefaults() {
        WorkerSettings s = WorkerSettings.from(Map.of("STUDIO_URL", "http://localhost:8080/",
                "STUDIO_WORKER_TOKEN", "gs_secret", "GLAMM_MODEL_DIR", "/models/glamm"));
        assertThat(s.studioUrl().toString()).isEqualTo("http://localhost:8080");
        assertThat(s.modelDir()).isEqualTo(Path.of("/models/glamm"));
        assertThat(s.device()).isEqualTo("auto");
        assertThat(s.batch()).isEqualTo(1);
        assertThat(s.concurrency()).isEqualTo(1);
        assertThat(s.leaseSeconds()).isEqualTo(120);
        assertThat(s.grace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.toString()).doesNotContain("gs_secret");
        assertThat(s.metricsEnabled()).isTrue();
        assertThat(s.metricsPort()).isEqualTo(WorkerSettings.DEFAULT_METRICS_PORT);
        assertThat(s.metricsAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void metricsPortZeroIsTheDefaultAndOffDisablesTheServer() {
        Map<String, String> base = Map.of("STUDIO_URL", "http://x", "STUDIO_WORKER_TOKEN", "gs_x", "GLAMM_MODEL_DIR", "m");
        java.util.function.Function<Map<String, String>, WorkerSettings> with = extra -> {
            var env = new java.util.HashMap<>(base);
            env.putAll(extra);
            return WorkerSettings.from(env);
        };
        assertThat(with.apply(Map.of("WORKER_METRICS_PORT", "0")).metricsPort()).isEqualTo(9464);
        assertThat(with.apply(Map.of("WORKER_METRICS_PORT", "9100")).metricsPort()).isEqualTo(9100);
        assertThat(with.apply(Map.of("WORKER_METRICS_PORT", "off")).metricsEnabled()).isFalse();
        assertThat(with.apply(Map.of("WORKER_METRICS_ADDRESS", "0.0.0.0")).metricsAddress().isAnyLocalAddress()).isTrue();
        assertThatThrownBy(() -> with.apply(Map.of("WORKER_METRICS_PORT", "70000")))
                .hasMessageContaining("WORKER_METRICS_PORT");
        assertThatThrownBy(() -> with.apply(Map.of("WORKER_METRICS_ADDRESS", "metrics.example")))
                .hasMessageContaining("WORKER_METRICS_ADDRESS");
    }

    @Test
    void readsEveryVariable() {
        WorkerSettings s = WorkerSettings.from(Map.of("STUDIO_URL", "https://studio.example", "STUDIO_WORKER_TOKEN",
                "gs_x", "GLAMM_MODEL_DIR", "m", "GLAMM_DEVICE", "gpu:1", "WORKER_BATCH", "4",
                "WORKER_CONCURRENCY", "2", "WORKER_LEASE_SECONDS", "300", "WORKER_INSTANCE", "gpu-box-1",
                "WORKER_GRACE_SECONDS", "10"));
        assertThat(s.device()).isEqualTo("gpu:1");
        assertThat(s.batch()).isEqualTo(4);
        assertThat(s.concurrency()).isEqualTo(2);
        assertThat(s.leaseSeconds()).isEqualTo(300);
        assertThat(s.instance()).isEqualTo("gpu-box-1");
        assertThat(s.grace()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void refusesMissingOrBadValues() {
        assertThatThrownBy(() -> WorkerSettings.from(Map.of("STUDIO_URL", "http://x", "GLAMM_MODEL_DIR", "m")))
                .hasMessageContaining("STUDIO_WORKER_TOKEN");
        assertThatThrownBy(() -> WorkerSettings.from(Map.of("STUDIO_WORKER_TOKEN", "gs_x", "GLAMM_MODEL_DIR", "m")))
                .hasMessageContaining("STUDIO_URL");
        assertThatThrownBy(() -> WorkerSettings.from(Map.of("STUDIO_URL", "http://x", "STUDIO_WORKER_TOKEN", "gs_x",
                "GLAMM_MODEL_DIR", "m", "WORKER_BATCH", "many"))).hasMessageContaining("WORKER_BATCH");
        assertThatThrownBy(() -> WorkerSettings.from(Map.of("STUDIO_URL", "http://x", "STUDIO_WORKER_TOKEN", "gs_x",
                "GLAMM_MODEL_DIR", "m", "WORKER_LEASE_SECONDS", "1"))).hasMessageContaining("WORKER_LEASE_SECONDS");
    }
}
