/** The models page: model versions compared side by side by their GCG metrics and correction effort. */
package studio.grounding.evaluation.ui;
