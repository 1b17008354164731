package studio.grounding.training;

/** Where a finetuning run executes. */
public enum Launcher {
    /** A child process of the platform ({@code studio.training.local-command}, default the bundle's train.sh). */
    LOCAL,
    /** A Kubernetes Job manifest written to the bundle ({@code job.yaml}); an operator applies it. */
    KUBERNETES,
    /** A Slurm batch script written to the bundle ({@code job.sbatch}); an operator submits it. */
    SLURM
}
