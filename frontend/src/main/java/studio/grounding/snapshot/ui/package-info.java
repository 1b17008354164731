/** The snapshots page: freeze, list, export and compare a dataset's snapshots (curators). */
package studio.grounding.snapshot.ui;
