# Grounding Studio inference worker (GLaMM on DJL 0.35.1 / PyTorch 2.7.1) on CUDA 12.8.
# Build from the repository root:  docker build -f docker/worker.Dockerfile -t grounding-studio-worker .
#
# Why CUDA 12.8: DJL 0.35.1's JNI jar (ai.djl.pytorch:pytorch-jni:2.7.1-0.35.1) carries libdjl_torch.so for the
# flavours cpu and cu128 only (jnilib/linux-x86_64/cu128), so the PyTorch native library must be libtorch 2.7.1+cu128.
#
# How the native library gets into the image WITHOUT a download at run time: DJL publishes
# ai.djl.pytorch:pytorch-native-cu128:2.7.1 (classifier linux-x86_64) only on its own servers, not on Maven Central
# (checked 2026-11-22: the pom is not found there; DJL issue #3862). So this build stage fetches PyTorch's official
# libtorch 2.7.1+cu128 (cxx11 ABI) zip ONCE, at image build time, and the runtime stage points DJL at it with
# PYTORCH_LIBRARY_PATH / PYTORCH_VERSION / PYTORCH_FLAVOR. DJL_OFFLINE=true then forbids DJL any download; the JNI
# library comes out of the worker jar. If your Maven registry does have the DJL jar, build the worker with
# `mvn -Pcuda ...` instead (see inference-worker/README.md, "GPU") and drop the libtorch stage.
#
# Build-time network: Maven Central (worker build) and download.pytorch.org (libtorch, ~3.5 GB zip).
# Run time: the platform URL only. Needs the NVIDIA Container Toolkit on the host (driver >= 570 for CUDA 12.8).

ARG LIBTORCH_URL=https://download.pytorch.org/libtorch/cu128/libtorch-cxx11-abi-shared-with-deps-2.7.1%2Bcu128.zip
# optional: the zip's SHA-256, checked when given (not known here: no network to pytorch.org from the build machine)
ARG LIBTORCH_SHA256=

FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
COPY . .
# the backend is a test-scoped dependency of the worker (its end-to-end test); -am builds it in the reactor
RUN mvn -B -q -pl inference-worker -am package -DskipTests \
    && cp inference-worker/target/inference-worker-*.jar /src/inference-worker.jar

FROM debian:12-slim AS libtorch
ARG LIBTORCH_URL
ARG LIBTORCH_SHA256
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl unzip \
    && rm -rf /var/lib/apt/lists/*
RUN curl -fsSL -o /tmp/libtorch.zip "$LIBTORCH_URL" \
    && if [ -n "$LIBTORCH_SHA256" ]; then echo "$LIBTORCH_SHA256  /tmp/libtorch.zip" | sha256sum -c -; fi \
    && unzip -q /tmp/libtorch.zip -d /opt \
    && rm /tmp/libtorch.zip \
    && rm -rf /opt/libtorch/include /opt/libtorch/share /opt/libtorch/bin /opt/libtorch/lib/*.a

FROM nvidia/cuda:12.8.1-runtime-ubuntu24.04
COPY --from=eclipse-temurin:25-jre /opt/java/openjdk /opt/java/openjdk
COPY --from=libtorch /opt/libtorch/lib /opt/libtorch/lib
COPY --from=build /src/inference-worker.jar /opt/grounding-studio/inference-worker.jar
RUN useradd --system --home /var/lib/glamm-worker --create-home worker
USER worker
WORKDIR /var/lib/glamm-worker
ENV PATH=/opt/java/openjdk/bin:$PATH \
    JAVA_HOME=/opt/java/openjdk \
    DJL_OFFLINE=true \
    OPT_OUT_TRACKING=true \
    DJL_CACHE_DIR=/var/lib/glamm-worker/.djl.ai \
    PYTORCH_LIBRARY_PATH=/opt/libtorch/lib \
    PYTORCH_VERSION=2.7.1 \
    PYTORCH_FLAVOR=cu128 \
    GLAMM_DEVICE=gpu \
    GLAMM_MODEL_DIR=/models/glamm \
    WORKER_METRICS_ADDRESS=0.0.0.0 \
    WORKER_METRICS_PORT=9464
EXPOSE 9464
# /health answers 200 only when the model is loaded, the loop is claiming and the platform answered the last claim
HEALTHCHECK --interval=30s --timeout=5s --start-period=300s CMD ["bash", "-c", \
    "exec 3<>/dev/tcp/127.0.0.1/9464 && printf 'GET /health HTTP/1.0\\r\\n\\r\\n' >&3 && head -1 <&3 | grep -q ' 200 '"]
# SIGTERM (docker stop) hands running jobs back after WORKER_GRACE_SECONDS (default 30): give docker stop longer
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "-Djava.awt.headless=true", "-jar", "/opt/grounding-studio/inference-worker.jar"]
