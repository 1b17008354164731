package studio.grounding.training;

/**
 * The job files for GPU clusters. Both run the bundle's {@code train.sh} with its output in the bundle's log files
 * and write its exit status to {@code exit-code}, which the platform reads back (it never talks to a cluster).
 */
final class ClusterScripts {

    private ClusterScripts() {
    }

    /**
     * A Kubernetes Job: one pod, no retries, {@code nvidia.com/gpu} as asked, the platform's data directory mounted
     * from a PersistentVolumeClaim with the bundle as its sub-path, shared memory for the data loaders.
     */
    static String kubernetesJob(long runId, int gpus, String image, String claim, String bundleSubPath) {
        return """
                # Grounding Studio finetuning run #%1$d. Apply with: kubectl apply -f job.yaml
                # The claim "%4$s" must hold the platform's data directory (the bundle is %5$s in it).
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: glamm-finetune-run-%1$d
                  labels:
                    app.kubernetes.io/name: grounding-studio
                    grounding-studio/run: "%1$d"
                spec:
                  backoffLimit: 0
                  template:
                    metadata:
                      labels:
                        grounding-studio/run: "%1$d"
                    spec:
                      restartPolicy: Never
                      containers:
                        - name: train
                          image: %3$s
                          workingDir: /bundle
                          command: ["/bin/sh", "-c"]
                          args:
                            - mkdir -p /bundle/logs; sh /bundle/train.sh > /bundle/logs/stdout.log 2> /bundle/logs/stderr.log; code=$?; echo $code > /bundle/exit-code; exit $code
                          resources:
                            limits:
                              nvidia.com/gpu: %2$d
                          volumeMounts:
                            - name: bundle
                              mountPath: /bundle
                              subPath: %5$s
                            - name: dshm
                              mountPath: /dev/shm
                      volumes:
                        - name: bundle
                          persistentVolumeClaim:
                            claimName: %4$s
                        - name: dshm
                          emptyDir:
                            medium: Memory
                """.formatted(runId, gpus, image, claim, bundleSubPath);
    }

    /** A Slurm batch script for one node with {@code --gres=gpu:N}. */
    static String slurmScript(long runId, int gpus, String bundleDir) {
        return """
                #!/bin/bash
                # Grounding Studio finetuning run #%1$d. Submit with: sbatch job.sbatch
                #SBATCH --job-name=glamm-run-%1$d
                #SBATCH --nodes=1
                #SBATCH --ntasks-per-node=1
                #SBATCH --gres=gpu:%2$d
                #SBATCH --cpus-per-task=%3$d
                #SBATCH --output=%4$s/logs/slurm-%%j.out
                cd '%4$s' || exit 1
                mkdir -p logs
                sh train.sh > logs/stdout.log 2> logs/stderr.log
                code=$?
                echo $code > exit-code
                exit $code
                """.formatted(runId, gpus, Math.max(4, 8 * gpus), bundleDir);
    }
}
