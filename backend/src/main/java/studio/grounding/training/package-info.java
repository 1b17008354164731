/**
 * Finetuning runs: a base model version, a snapshot, hyperparameters and a launcher. The platform writes a run
 * bundle (the snapshot exported in GLaMM's dataset layout, {@code manifest.json}, {@code train.sh} with GLaMM's
 * {@code deepspeed train.py} command) and starts it locally as a child process, or writes a Kubernetes Job or Slurm
 * batch script for a GPU cluster. Runs report progress through {@code progress.json} and logs in their bundle; a run
 * that ends with a model directory ({@code output/model/glamm.json}) registers a new model version whose parent is
 * the base. Real GLaMM training cannot run on the project machines; tests use a simulated training command.
 * Design: {@code docs/adr/0007-snapshots-and-training-runs.md}.
 */
package studio.grounding.training;
