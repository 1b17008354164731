/** The training runs page: launch finetuning runs, follow their progress and logs (curators). */
package studio.grounding.training.ui;
